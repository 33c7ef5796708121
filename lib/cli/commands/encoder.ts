import { Command } from '../command';

// Placeholder until the owning issue lands; replaced by the real command.
export const encoderCommand: Command = {
  name: 'encoder',
  summary: '(not yet available)',
  usage: 'raydino encoder',
  async run() { throw new Error('raydino encoder is not implemented yet'); },
};
