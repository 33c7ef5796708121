import { Command } from '../command';

// Placeholder until the owning issue lands; replaced by the real command.
export const dataCommand: Command = {
  name: 'data',
  summary: '(not yet available)',
  usage: 'raydino data',
  async run() { throw new Error('raydino data is not implemented yet'); },
};
