import { Command } from '../command';

// Placeholder until the owning issue lands; replaced by the real command.
export const figuresCommand: Command = {
  name: 'figures',
  summary: '(not yet available)',
  usage: 'raydino figures',
  async run() { throw new Error('raydino figures is not implemented yet'); },
};
