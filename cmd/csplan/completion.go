package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"
)

// The scripts ask csplan itself what completes the words so far (csplan
// __complete WORD...), so that they follow the command tree and each
// command's flags without being regenerated. An empty answer leaves the
// shell to complete file names.
const (
	bashCompletion = `# csplan completion for bash: source <(csplan completion bash)
_csplan() {
  local IFS=$'\n'
  COMPREPLY=($(csplan __complete "${COMP_WORDS[@]:1:$COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _csplan csplan
`
	zshCompletion = `#compdef csplan
# csplan completion for zsh: source <(csplan completion zsh)
_csplan() {
  local -a candidates
  candidates=("${(@f)$(csplan __complete "${(@)words[2,$CURRENT]}" 2>/dev/null)}")
  if [[ -n "${candidates[1]}" ]]; then
    compadd -- "${candidates[@]}"
  else
    _files
  fi
}
compdef _csplan csplan
`
	fishCompletion = `# csplan completion for fish: csplan completion fish | source
complete -c csplan -a '(csplan __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`
)

func runCompletion(_ context.Context, args []string, e env) error {
	if len(args) != 1 {
		return usagef("completion takes one shell: bash, zsh or fish")
	}
	switch args[0] {
	case "bash":
		fmt.Fprint(e.stdout, bashCompletion)
	case "zsh":
		fmt.Fprint(e.stdout, zshCompletion)
	case "fish":
		fmt.Fprint(e.stdout, fishCompletion)
	default:
		return usagef("completion: %q is not a shell csplan completes: use bash, zsh or fish", args[0])
	}
	return nil
}

// complete prints what may follow words, the last of which is the word
// being completed: subcommands under a group, a leaf's flags after "-".
func complete(ctx context.Context, root *cmdNode, words []string, e env) {
	if len(words) == 0 {
		words = []string{""}
	}
	node := root
	for _, w := range words[:len(words)-1] {
		if next := node.child(w); next != nil {
			node = next
		}
	}
	partial := words[len(words)-1]
	if strings.HasPrefix(partial, "-") {
		for _, f := range leafFlags(ctx, node) {
			if strings.HasPrefix(f, partial) {
				fmt.Fprintln(e.stdout, f)
			}
		}
		return
	}
	for _, s := range node.subs {
		if strings.HasPrefix(s.name, partial) {
			fmt.Fprintln(e.stdout, s.name)
		}
	}
}

// leafFlags are a leaf's flags as --name, read from what its flag set
// prints for -h.
func leafFlags(ctx context.Context, n *cmdNode) []string {
	if n.run == nil {
		return []string{"--help"}
	}
	var out strings.Builder
	n.run(ctx, []string{"-h"}, env{stdin: strings.NewReader(""), stdout: &out, stderr: &out, getenv: func(string) string { return "" }})
	flags := []string{"--help"}
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "  -") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(line, "  -"), " ")
		name, _, _ = strings.Cut(name, "\t")
		flags = append(flags, "--"+name)
	}
	return flags
}
