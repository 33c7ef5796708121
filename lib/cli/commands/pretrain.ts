import { Command } from '../command';

// Placeholder until the owning issue lands; replaced by the real command.
export const pretrainCommand: Command = {
  name: 'pretrain',
  summary: '(not yet available)',
  usage: 'raydino pretrain',
  async run() { throw new Error('raydino pretrain is not implemented yet'); },
};
