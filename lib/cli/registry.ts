import { Command } from './command';
import { benchCommand } from './commands/bench';
import { dataCommand } from './commands/data';
import { encoderCommand } from './commands/encoder';
import { featuresCommand } from './commands/features';
import { figuresCommand } from './commands/figures';
import { pretrainCommand } from './commands/pretrain';
import { supervisedCommand } from './commands/supervised';

export const commands: Command[] = [
  figuresCommand, dataCommand, encoderCommand, pretrainCommand, supervisedCommand, featuresCommand, benchCommand,
];
