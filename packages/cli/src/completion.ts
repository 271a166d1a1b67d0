import type { Command } from 'commander';

/** Each command path's subcommands and options, from the program itself (so completion never goes stale). */
function tree(command: Command, path: string[] = [], into = new Map<string, string[]>()) {
  const words = [
    ...command.commands.map((sub) => sub.name()),
    ...command.options.flatMap((option) =>
      [option.long, option.short].filter((flag): flag is string => !!flag),
    ),
    '--help',
  ];
  into.set(path.join(' '), words);
  for (const sub of command.commands) tree(sub, [...path, sub.name()], into);
  return into;
}

/**
 * `agentd completion bash|zsh`: a completion script for the verbs and flags.
 * Install: `source <(agentd completion bash)` (zsh: `source <(agentd completion zsh)`).
 */
export function completionScript(root: Command, shell: string): string {
  const cases = [...tree(root)]
    .map(([path, words]) => `    "${path}") words="${[...new Set(words)].join(' ')}" ;;`)
    .join('\n');
  const body = `_agentd_complete() {
  local path="" word
  for word in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case "$word" in -*) ;; *) path="\${path:+$path }$word" ;; esac
  done
  local words=""
  case "$path" in
${cases}
  esac
  COMPREPLY=( $(compgen -W "$words" -- "\${COMP_WORDS[COMP_CWORD]}") )
}
complete -o default -F _agentd_complete agentd
`;
  return shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${body}` : body;
}
