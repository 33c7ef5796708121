import { Command } from '../command';

// Placeholder until the owning issue lands; replaced by the real command.
export const featuresCommand: Command = {
  name: 'features',
  summary: '(not yet available)',
  usage: 'raydino features',
  async run() { throw new Error('raydino features is not implemented yet'); },
};
