import { UsageError } from './args';
import { commands } from './registry';

function help(): string {
  const lines = ['usage: raydino <command> [options]', '', 'commands:'];
  for (const c of commands) lines.push(`  ${c.name.padEnd(10)} ${c.summary}`);
  lines.push('', 'raydino <command> --help shows a command\'s options.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') { console.log(help()); return name ? 0 : 2; }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) { console.error(`raydino: unknown command '${name}'\n\n${help()}`); return 2; }
  if (rest.includes('--help') || rest.includes('-h')) { console.log(cmd.usage); return 0; }
  try {
    return await cmd.run(rest);
  } catch (err) {
    // Wrong input on the command line: one line naming the flag, then how the command is used; other errors propagate.
    if (!(err instanceof UsageError)) throw err;
    console.error(`raydino ${cmd.name}: ${err.message}\n\n${cmd.usage}`);
    return 2;
  }
}
