/** A `raydino <name>` sub-command. One file per command under lib/cli/commands/. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(argv: string[]): Promise<number>;
}
