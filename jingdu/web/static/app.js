/* jingdu workbench: layer toggles, marking a selection, accepting or rejecting suggestions.
   No libraries; talks to the JSON API of this server only. */
"use strict";

(function () {
  const note = document.getElementById("note");

  function toast(message, bad) {
    const el = document.getElementById("toast");
    if (!el) return;
    el.textContent = message;
    el.className = bad ? "show bad" : "show";
    window.clearTimeout(toast.timer);
    toast.timer = window.setTimeout(function () { el.className = ""; }, 4000);
  }

  function cpLen(s) { return Array.from(s).length; }

  async function call(method, url, body) {
    const opts = { method: method, headers: { "Accept": "application/json" }, credentials: "same-origin" };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const res = await fetch(url, opts);
    const data = await res.json().catch(function () { return {}; });
    if (!res.ok) {
      const err = data.error || {};
      throw new Error((err.code || res.status) + ": " + (err.message || res.statusText));
    }
    return data;
  }

  /* Offset in Doc.text of a DOM point inside the note. */
  function pointOffset(node, off, atEnd) {
    if (node.nodeType === Node.TEXT_NODE) {
      const seg = node.parentElement && node.parentElement.closest("[data-o]");
      if (seg) return Number(seg.dataset.o) + cpLen(node.data.slice(0, off));
      node = node.parentElement;
      off = 0;
    }
    if (!node || node.nodeType !== Node.ELEMENT_NODE) return null;
    const own = node.closest("[data-o]");
    if (own) return Number(own.dataset.o) + (off > 0 ? cpLen(own.textContent) : 0);
    const segs = Array.from(note.querySelectorAll("[data-o]"));
    const child = node.childNodes[off];
    if (child) {
      for (const seg of segs) {
        const pos = child.compareDocumentPosition(seg);
        if (seg === child || pos & Node.DOCUMENT_POSITION_CONTAINED_BY || pos & Node.DOCUMENT_POSITION_FOLLOWING) {
          return Number(seg.dataset.o);
        }
      }
    }
    const before = segs.filter(function (seg) {
      return node.contains(seg) || (node.compareDocumentPosition(seg) & Node.DOCUMENT_POSITION_PRECEDING);
    });
    const last = before[before.length - 1];
    return last ? Number(last.dataset.o) + cpLen(last.textContent) : (atEnd ? null : 0);
  }

  function selectionRange() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const r = sel.getRangeAt(0);
    if (!note.contains(r.commonAncestorContainer)) return null;
    const start = pointOffset(r.startContainer, r.startOffset, false);
    const end = pointOffset(r.endContainer, r.endOffset, true);
    if (start === null || end === null || end <= start) return null;
    return { start: start, end: end };
  }

  function reloadKeepingScroll() {
    sessionStorage.setItem("jd-scroll", String(window.scrollY));
    window.location.reload();
  }

  function setupNote() {
    const noteId = note.dataset.note;
    const base = "/api/notes/" + encodeURIComponent(noteId) + "/marks";

    document.querySelectorAll("[data-toggle]").forEach(function (box) {
      const key = "jd-hide-" + box.dataset.toggle;
      if (localStorage.getItem(key) === "1") box.checked = false;
      const apply = function () {
        document.body.classList.toggle("hide-" + box.dataset.toggle, !box.checked);
        localStorage.setItem(key, box.checked ? "0" : "1");
      };
      box.addEventListener("change", apply);
      apply();
    });

    // Buttons that act on the selected words: change(btn, range) calls the API, then the page reloads.
    function onSelection(selector, change) {
      document.querySelectorAll(selector).forEach(function (btn) {
        btn.addEventListener("mousedown", function (e) { e.preventDefault(); });  // keep the selection
        btn.addEventListener("click", async function () {
          const r = selectionRange();
          if (!r) { toast("先在正文中选中文字。Select some text in the note first.", true); return; }
          try {
            await change(btn, r);
            reloadKeepingScroll();
          } catch (err) { toast(err.message, true); }
        });
      });
    }

    onSelection("[data-mark]", function (btn, r) {
      return call("POST", base, { layer: btn.dataset.mark, start: r.start, end: r.end });
    });

    onSelection("[data-unmark]", async function (btn, r) {
      for (const layer of ["highlight", "bold", "red"]) {
        await call("DELETE", base + "?layer=" + layer + "&start=" + r.start + "&end=" + r.end);
      }
    });

    document.querySelectorAll(".pending-item button").forEach(function (btn) {
      btn.addEventListener("click", async function () {
        const item = btn.closest(".pending-item");
        const mark = { layer: item.dataset.layer, start: Number(item.dataset.start), end: Number(item.dataset.end) };
        try {
          if (btn.dataset.action === "accept") {
            await call("POST", base, Object.assign({ action: "accept" }, mark));
          } else {
            await call("DELETE", base + "?layer=" + mark.layer + "&start=" + mark.start + "&end=" + mark.end);
          }
          reloadKeepingScroll();
        } catch (err) { toast(err.message, true); }
      });
      btn.closest(".pending-item").addEventListener("mouseenter", function (e) {
        flash(Number(e.currentTarget.dataset.start), false);
      });
    });

    setupTermSuggestions(noteId);

    const saved = sessionStorage.getItem("jd-scroll");
    if (saved !== null) {
      sessionStorage.removeItem("jd-scroll");
      window.scrollTo(0, Number(saved));
    } else {
      const m = /^#o(\d+)$/.exec(window.location.hash);
      if (m) flash(Number(m[1]), true);
    }
  }

  function flash(offset, scroll) {
    let target = null;
    note.querySelectorAll("[data-o]").forEach(function (seg) {
      const o = Number(seg.dataset.o);
      if (o <= offset && o + cpLen(seg.textContent) > offset) target = seg;
    });
    if (!target) return;
    if (scroll) target.scrollIntoView({ block: "center" });
    target.classList.add("flash");
    window.setTimeout(function () { target.classList.remove("flash"); }, 1600);
  }

  /* The mind map: Mermaid's own script (shipped in /static/mermaid/, loaded only on a page that
     has a map) draws the outline's mindmap source into an SVG. */
  function drawMindmap(box) {
    const src = document.getElementById(box.dataset.src);
    if (!src) return;
    const script = document.createElement("script");
    script.src = "/static/mermaid/mermaid.min.js";
    script.onload = async function () {
      try {
        // the workbench's colours: pale nodes with dark text (readable on a phone too)
        window.mermaid.initialize({
          startOnLoad: false, securityLevel: "strict", theme: "base",
          fontFamily: getComputedStyle(document.body).fontFamily,
          themeVariables: { primaryColor: "#f8ddd7", primaryTextColor: "#222222", lineColor: "#c0392b",
                            fontSize: "14px" },
        });
        const out = await window.mermaid.render("mindmap-svg", src.textContent);
        box.innerHTML = out.svg;
        box.classList.add("drawn");
      } catch (err) {
        box.textContent = "思维导图未能绘制 the mind map could not be drawn: " + err.message;
      }
    };
    document.head.appendChild(script);
  }

  // 规范词 for the selected passage; "insert" puts one as a note (an underline tagged 规范词：…) on it.
  function setupTermSuggestions(noteId) {
    const list = document.getElementById("term-suggestions");
    const hint = document.getElementById("term-hint");
    if (!list) return;
    const themes = document.getElementById("term-theme");
    let timer = null;
    let asked = "";
    let last = null;  // the selection last asked about, asked again when the theme changes
    if (themes) {
      // the theme one is writing on: only its terms (remembered between notes)
      const kept = window.localStorage.getItem("jingdu.termTheme") || "";
      if (Array.from(themes.options).some(function (o) { return o.value === kept; })) themes.value = kept;
      themes.addEventListener("change", function () {
        window.localStorage.setItem("jingdu.termTheme", themes.value);
        if (last) { asked = ""; ask(last); }
      });
    }
    const ask = async function (again) {
      const r = again ? again.range : selectionRange();
      const text = again ? again.text : (r ? window.getSelection().toString().trim() : "");
      const key = text + "\u0000" + (themes ? themes.value : "");
      if (!r || text.length < 2 || key === asked) return;
      asked = key;
      try {
        // the paragraph around the selection is the material's context
        let context = again ? again.context : "";
        if (!again) {
          const node = window.getSelection().getRangeAt(0).startContainer;
          const el = node.nodeType === 1 ? node : node.parentElement;
          const block = el ? el.closest("p, li, blockquote, td") : null;
          context = block ? block.textContent.trim().slice(0, 5000) : "";
        }
        last = { range: r, text: text, context: context };
        const data = await call("POST", "/api/suggest",
          { text: text.slice(0, 5000), context: context || null, k: 5, theme: themes ? themes.value : "" });
        list.replaceChildren();
        hint.textContent = data.message || ("“" + text.slice(0, 24) + (text.length > 24 ? "…" : "") + "”");
        data.suggestions.forEach(function (s) {
          const li = document.createElement("li");
          li.className = "term-suggestion";
          const term = document.createElement("strong");
          term.textContent = s.term;
          const why = document.createElement("div");
          why.className = "muted why";
          why.textContent = s.why;
          const btn = document.createElement("button");
          btn.type = "button";
          btn.className = "term-insert";
          btn.textContent = "插入 insert";
          btn.addEventListener("click", async function () {
            try {
              await call("POST", "/api/notes/" + encodeURIComponent(noteId) + "/term-notes",
                         { start: r.start, end: r.end, term: s.term });
              toast("已加注：" + s.term);
              li.classList.add("inserted");
            } catch (err) { toast(err.message, true); }
          });
          const theme = document.createElement("span");
          theme.className = "muted term-theme-name";
          theme.textContent = s.theme || "";
          li.append(term, " ", theme, " ", btn, why);
          list.append(li);
        });
      } catch (err) { toast(err.message, true); }
    };
    const later = function () { window.clearTimeout(timer); timer = window.setTimeout(function () { ask(null); }, 250); };
    note.addEventListener("mouseup", later);
    note.addEventListener("keyup", later);
  }

  function setupGlossary() {
    const form = document.getElementById("glossary-add");
    form.addEventListener("submit", async function (e) {
      e.preventDefault();
      const f = new FormData(form);
      const scenario = String(f.get("scenario") || "").trim();
      try {
        await call("POST", "/api/glossary", { term: String(f.get("term") || ""), definition: String(f.get("definition") || ""),
          scenarios: scenario ? [scenario] : [], group: String(f.get("group") || ""), theme: String(f.get("theme") || "") });
        window.location.reload();
      } catch (err) { toast(err.message, true); }
    });
    document.querySelectorAll(".entry-delete").forEach(function (btn) {
      btn.addEventListener("click", async function () {
        try { await call("DELETE", "/api/glossary/" + btn.dataset.entry); window.location.reload(); }
        catch (err) { toast(err.message, true); }
      });
    });
    document.querySelectorAll(".entry-edit").forEach(function (btn) {
      btn.addEventListener("click", async function () {
        const definition = window.prompt("基本释义 definition");
        if (definition === null) return;
        try { await call("PATCH", "/api/glossary/" + btn.dataset.entry, { definition: definition }); window.location.reload(); }
        catch (err) { toast(err.message, true); }
      });
    });
  }

  if (note) setupNote();
  const mindmap = document.getElementById("mindmap");
  if (mindmap) drawMindmap(mindmap);
  if (document.getElementById("glossary-add")) setupGlossary();
})();
