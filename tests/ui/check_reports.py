#!/usr/bin/env python3
"""Checks report documents the way a reader's tools see them.

    check_reports.py CASE.json [CASE.json ...]

Each CASE.json (written by tst_reports) names the files of one experiment's
report and what they must hold:
  {"html": ".../r.html", "pdf": ".../r.pdf", "md": ".../r.md",
   "texts": ["...", ...],           # in the HTML's text, the PDF's text and the Markdown
   "pages": [min, max],             # the PDF's page count range
   "page_size": [w, h],             # points (595 x 842 for A4)
   "md_tables": [[header, columns], ...],  # Markdown tables: their first header cell and column count
   "hostile": ["<script>", ...]}    # dimension values / notes that must come out inert

- HTML: parsed as HTML5 by html5lib (strict: any parse error fails); no
  <script> element, no on* attribute and no external reference (src / href
  that is not a fragment); the hostile strings appear only as text; rendered
  by headless Chromium to a PNG whose size is checked.
- PDF: pdfinfo's page count and size; pdftotext's text holds each text (or, where a
  table cell wrapped it, the text without white space).
- Markdown: every pipe table row has the header's column count; the hostile
  strings never appear as raw HTML.
Exits 1 with every failure listed.
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

import html5lib

failures = []


def fail(case, msg):
    failures.append("%s: %s" % (case, msg))


def squash(s):
    return re.sub(r"\s+", " ", s).strip()


def check_html(name, c):
    data = open(c["html"], "rb").read()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        doc = parser.parse(data)
    except Exception as e:  # html5lib raises ParseError in strict mode
        fail(name, "HTML does not parse as HTML5: %s" % e)
        return
    text = []
    for el in doc.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag.lower() == "script" or tag.endswith("}script"):
            fail(name, "HTML has a <script> element")
        for attr, value in el.attrib.items():
            a = attr.lower()
            if a.startswith("on"):
                fail(name, "HTML has an event attribute %s" % attr)
            if a in ("src", "href", "xlink:href") or a.endswith("}href"):
                if not value.startswith("#"):
                    fail(name, "HTML references %s=%s" % (attr, value))
        if el.text:
            text.append(el.text)
        if el.tail:
            text.append(el.tail)
    body = squash(" ".join(text))
    for t in c["texts"] + c.get("hostile", []):
        if squash(t) not in body:
            fail(name, "HTML text lacks %r" % t)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        fail(name, "chromium is not installed (apt-get install chromium)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        png = os.path.join(tmp, "page.png")
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--user-data-dir=" + os.path.join(tmp, "profile"), "--hide-scrollbars", "--window-size=420,2400",
               "--screenshot=" + png, "file://" + os.path.abspath(c["html"])]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        if r.returncode != 0 or not os.path.exists(png):
            fail(name, "chromium did not render the HTML: %s" % r.stderr.decode(errors="replace")[-400:])
            return
        head = open(png, "rb").read(24)
        if head[:8] != b"\x89PNG\r\n\x1a\n":
            fail(name, "chromium's screenshot is not a PNG")
            return
        w, h = struct.unpack(">II", head[16:24])
        if (w, h) != (420, 2400):
            fail(name, "chromium's PNG is %dx%d, not 420x2400 (a phone's width)" % (w, h))
        if c.get("png_out"):
            shutil.copy(png, c["png_out"])


def check_pdf(name, c):
    info = subprocess.run(["pdfinfo", c["pdf"]], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if info.returncode != 0:
        fail(name, "pdfinfo cannot read the PDF: %s" % info.stderr.decode(errors="replace"))
        return
    out = info.stdout.decode()
    pages = int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
    lo, hi = c["pages"]
    if not lo <= pages <= hi:
        fail(name, "the PDF has %d pages, not %d-%d" % (pages, lo, hi))
    m = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", out, re.M)
    size = [round(float(m.group(1))), round(float(m.group(2)))]
    if size != c["page_size"]:
        fail(name, "the PDF's pages are %s pt, not %s" % (size, c["page_size"]))
    text = subprocess.run(["pdftotext", "-layout", c["pdf"], "-"], stdout=subprocess.PIPE).stdout.decode()
    flat = squash(text)
    raw = squash(subprocess.run(["pdftotext", "-raw", c["pdf"], "-"], stdout=subprocess.PIPE).stdout.decode())
    # A table cell wraps its text at a break the painter chooses (between "]" and
    # "(" too), so the reading order is also compared without any white space.
    bare = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-raw", c["pdf"], "-"], stdout=subprocess.PIPE).stdout.decode())
    for t in c["texts"] + c.get("hostile", []):
        if squash(t) not in flat and squash(t) not in raw and re.sub(r"\s+", "", t) not in bare:
            fail(name, "the PDF's text lacks %r" % t)


def md_cells(line):
    # Split a pipe-table row on the pipes that are not escaped.
    cells, cur, i = [], "", 1
    body = line.strip()
    while i < len(body) - 1:
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            cur += body[i:i + 2]
            i += 2
            continue
        if ch == "|":
            cells.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    cells.append(cur)
    return [x.strip() for x in cells]


def check_md(name, c):
    lines = open(c["md"], encoding="utf-8").read().split("\n")
    tables, i = [], 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and re.match(r"^\|( -{3}:? \|)+$", lines[i + 1]):
            header = md_cells(lines[i])
            ncol = len(header)
            if len(md_cells(lines[i + 1])) != ncol:
                fail(name, "Markdown table %r: the delimiter row's columns differ" % header[0])
            j = i + 2
            while j < len(lines) and lines[j].startswith("|"):
                if len(md_cells(lines[j])) != ncol:
                    fail(name, "Markdown table %r, line %d: %d cells, not %d" % (header[0], j + 1, len(md_cells(lines[j])), ncol))
                j += 1
            tables.append((header[0], ncol))
            i = j
        else:
            i += 1
    for header, ncol in c["md_tables"]:
        if (header, ncol) not in tables:
            fail(name, "Markdown lacks a table %r of %d columns (has %s)" % (header, ncol, tables))
    md = "\n".join(lines)
    for h in c.get("hostile", []):
        if "<" in h and h in md:
            fail(name, "Markdown has raw %r" % h)
    # The text a reader sees: table cells side by side, escapes undone.
    seen = "\n".join(" ".join(md_cells(l)) if l.startswith("|") else l for l in lines)
    unescaped = seen.replace("\\\\", "").replace("\\", "")
    for t in c["texts"]:
        if squash(t.replace("<", "&lt;").replace(">", "&gt;")) not in squash(unescaped.replace("&amp;", "&")):
            fail(name, "Markdown lacks %r" % t)


def main():
    for path in sys.argv[1:]:
        c = json.load(open(path))
        name = os.path.basename(path)
        check_html(name, c)
        check_pdf(name, c)
        check_md(name, c)
    for f in failures:
        print("FAIL", f)
    print("%d case(s), %d failure(s)" % (len(sys.argv) - 1, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
