# Does a mode-conditioned GAN draw the mode it is asked for? Each generated image's condition (its PNG text
# chunk osgan:mode) against the mode that osgan evaluate-images assigns it to (its --assignments CSV), as a table.
# Usage: python3 condition_agreement.py GENERATED_FOLDER ASSIGNMENTS.csv   (docs/one-shot-gan.md, 2026-12-07)
import csv, os, sys

folder, assignments = sys.argv[1], sys.argv[2]
def png_text(path):
    data, text, at = open(path, "rb").read(), {}, 8
    while at < len(data):
        n = int.from_bytes(data[at:at + 4], "big"); tag = data[at + 4:at + 8]; body = data[at + 8:at + 8 + n]
        if tag == b"tEXt":
            k, v = body.split(b"\0", 1); text[k.decode()] = v.decode()
        at += 12 + n
    return text
rows = [r for r in csv.DictReader(open(assignments)) if r["set"] == "generated"]
k = 1 + max(int(r["mode"]) for r in csv.DictReader(open(assignments)))
m = [[0] * k for _ in range(k)]
for r in rows:
    path = os.path.join(folder, os.path.basename(r["id"]))
    m[int(png_text(path)["osgan:mode"])][int(r["mode"])] += 1
print(f"{folder}: rows = condition, columns = assigned mode")
for i, row in enumerate(m):
    print(f"  condition {i} ({sum(row)}): " + " ".join(f"{x:4d}" for x in row) + f"   kept {row[i] / max(1, sum(row)):.2f}")
print(f"  agreement {sum(m[i][i] for i in range(k)) / len(rows):.2f}")
