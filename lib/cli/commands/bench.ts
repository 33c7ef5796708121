import { Command } from '../command';

// Placeholder until the owning issue lands; replaced by the real command.
export const benchCommand: Command = {
  name: 'bench',
  summary: '(not yet available)',
  usage: 'raydino bench',
  async run() { throw new Error('raydino bench is not implemented yet'); },
};
