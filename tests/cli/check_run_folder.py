#!/usr/bin/env python3
"""Checks that every file under a run folder whose name is final (not a write_atomically temporary,
"<name>.tmp.<pid>.<n>") is complete and valid: checkpoints (*.pt) are LibTorch zip archives whose every member
passes its CRC, PNGs have intact chunks (CRC) ending in IEND and an IDAT stream that inflates, JSON parses,
losses.csv has a header and full rows, YAML is "key: value" lines ending in a newline. And losses.csv holds a row
for every step up to the newest checkpoints/step_N.pt (a resume from that checkpoint would lose rows otherwise).
Usage: check_run_folder.py RUN_DIR. Prints each bad file and exits 1; prints the temporaries it skipped."""
import json, os, struct, sys, zipfile, zlib

def check_pt(path):
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        if bad is not None:
            raise ValueError(f"member {bad} fails its CRC")
        if not any(n.endswith("data.pkl") for n in z.namelist()):
            raise ValueError("no data.pkl: not a LibTorch archive")

def check_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("no PNG signature")
    pos, idat, kinds = 8, b"", []
    while pos < len(data):
        if pos + 8 > len(data):
            raise ValueError("truncated chunk header")
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc = data[pos + 8 + length:pos + 12 + length]
        if len(body) != length or len(crc) != 4 or struct.unpack(">I", crc)[0] != zlib.crc32(kind + body) & 0xFFFFFFFF:
            raise ValueError(f"chunk {kind!r} truncated or bad CRC")
        kinds.append(kind)
        if kind == b"IDAT":
            idat += body
        pos += 12 + length
    if not kinds or kinds[-1] != b"IEND":
        raise ValueError("no IEND chunk")
    zlib.decompress(idat)

def check_csv(path):
    text = open(path).read()
    lines = text.split("\n")
    if text and not text.endswith("\n"):
        raise ValueError("last row has no newline (cut short)")
    rows = [l for l in lines if l]
    if not rows:
        return
    if not rows[0].startswith("step,"):
        raise ValueError("no header")
    columns = rows[0].count(",")
    for row in rows[1:]:
        fields = row.split(",")
        if len(fields) != columns + 1 or not fields[0].isdigit():
            raise ValueError(f"bad row {row!r}")
        [float(f) for f in fields[1:]]

def check_yaml(path):
    text = open(path).read()
    if not text.endswith("\n"):
        raise ValueError("does not end with a newline (cut short)")
    for line in text.splitlines():
        if line and not line.startswith("#") and ":" not in line:
            raise ValueError(f"bad line {line!r}")

CHECKS = {".pt": check_pt, ".png": check_png, ".json": lambda p: json.load(open(p)), ".csv": check_csv,
          ".yaml": check_yaml}

def missing_loss_rows(run):
    """The rows losses.csv lacks for steps 1..N, N the newest checkpoint's step, as a list of complaints."""
    folder = os.path.join(run, "checkpoints")
    steps = [int(n[5:-3]) for n in (os.listdir(folder) if os.path.isdir(folder) else [])
             if n.startswith("step_") and n.endswith(".pt") and n[5:-3].isdigit()]
    if not steps:
        return []
    newest, log = max(steps), os.path.join(run, "losses.csv")
    if not os.path.exists(log):
        return [f"{log}: missing, though checkpoints/step_{newest:06d}.pt exists"]
    logged = {int(l.split(",")[0]) for l in open(log).read().splitlines()[1:] if l.split(",")[0].isdigit()}
    missing = sorted(set(range(1, newest + 1)) - logged)
    return [f"{log}: no rows for steps {missing[:5]}{'...' if len(missing) > 5 else ''}, though checkpoints/"
            f"step_{newest:06d}.pt exists"] if missing else []

def main(run):
    bad, temporaries, checked = [], [], 0
    for folder, _, files in os.walk(run):
        for name in files:
            path = os.path.join(folder, name)
            if ".tmp." in name:
                temporaries.append(path)
                continue
            check = CHECKS.get(os.path.splitext(name)[1])
            if check is None:
                bad.append(f"{path}: unexpected file")
                continue
            try:
                check(path)
                checked += 1
            except Exception as e:  # any parse failure means a damaged file
                bad.append(f"{path}: {e}")
    bad += missing_loss_rows(run)
    for b in bad:
        print("BAD", b)
    print(f"checked {checked} files, skipped {len(temporaries)} temporaries: {' '.join(temporaries)}")
    return 1 if bad else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
