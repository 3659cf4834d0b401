"""Instructions the language server executes for a fixed session, counted by valgrind's callgrind:
start, open one file, N edits (insert or delete one character after NEEDLE, each waited for until
its diagnostics arrive), shut down. Instruction counts do not depend on what else the machine is
doing, so two builds can be compared while other work runs; the cost of one edit is
(count with N edits - count with 0) / N.

    python3 scripts/bench-lsp-instructions.py BINARY PLAN_DIR FILE_IN_PLAN NEEDLE N

See docs/benchmarks.md ("Entity table refactor") for the figures it gave."""
import json, os, subprocess, sys, glob, re, pathlib

binary, plan, rel, needle, edits = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
out = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"trackplan-callgrind.{os.getpid()}")
proc = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, "lsp"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=plan)

def send(msg):
    body = json.dumps(msg).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()

def read():
    length = None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("server closed")
        line = line.strip()
        if not line:
            break
        k, v = line.split(b":", 1)
        if k.lower() == b"content-length":
            length = int(v)
    return json.loads(proc.stdout.read(length))

def wait(pred):
    while True:
        m = read()
        if "id" in m and "method" in m:  # a request from the server: answer null
            send({"jsonrpc": "2.0", "id": m["id"], "result": None})
            continue
        if pred(m):
            return m

path = plan / rel
uri = path.resolve().as_uri()
text = path.read_text()
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": plan.resolve().as_uri(), "capabilities": {}}})
wait(lambda m: m.get("id") == 1)
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 0, "text": text}}})
is_diag = lambda v: (lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri and m["params"].get("version") == v)
wait(is_diag(0))
offset = text.index(needle) + len(needle)
line = text.count("\n", 0, offset)
col = offset - (text.rindex("\n", 0, offset) + 1)
for v in range(1, edits + 1):
    change = {"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}, "text": "x"} if v % 2 else \
             {"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 1}}, "text": ""}
    send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": v}, "contentChanges": [change]}})
    wait(is_diag(v))
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
wait(lambda m: m.get("id") == 2)
send({"jsonrpc": "2.0", "method": "exit"})
proc.wait(timeout=600)
total = 0
for f in glob.glob(out + "*"):
    for l in open(f, errors="replace"):
        if l.startswith("summary:") or l.startswith("totals:"):
            total += int(l.split()[1]); break
    os.remove(f) if not os.environ.get("KEEP") else print(f, file=sys.stderr)
print(total)
