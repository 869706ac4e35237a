/* Verify a published enforcement decision in the browser (zhifa proof.json bundles).
 *
 * The same checks as `zhifa verify-publication`:
 *   1. SHA-256 of the canonical JSON of `content` equals `content_sha256`, and the record
 *      entry's payload carries that content and hash;
 *   2. the leaf hash SHA-256(0x00 || entry bytes) equals `entry.leaf_hash`;
 *   3. the RFC 9162 inclusion proof leads from the leaf to the root of the checkpoint;
 *   4. the checkpoint (C2SP tlog-checkpoint signed note) carries a valid Ed25519 signature of
 *      the log's key — with WebCrypto's Ed25519 where the browser has it, else the page says
 *      the signature needs the command line.
 * No library, no network other than fetching the bundle itself.
 */
(function () {
  "use strict";

  var enc = new TextEncoder();

  function hex(buf) {
    return Array.from(new Uint8Array(buf), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  function unhex(text) {
    var out = new Uint8Array(text.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
    return out;
  }

  function b64(text) {
    var raw = atob(text);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function concat(parts) {
    var size = parts.reduce(function (n, p) { return n + p.length; }, 0);
    var out = new Uint8Array(size);
    var at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }

  function sha256(bytes) {
    return crypto.subtle.digest("SHA-256", bytes).then(function (d) { return new Uint8Array(d); });
  }

  function equal(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  // Keys sorted by code point (Python's sort_keys), no whitespace, strings as JSON.stringify.
  function byCodePoint(a, b) {
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      var d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d;
    }
    return x.length - y.length;
  }

  function canonical(value) {
    if (value === null) return "null";
    if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
    if (typeof value === "object") {
      return "{" + Object.keys(value).sort(byCodePoint).map(function (k) {
        return JSON.stringify(k) + ":" + canonical(value[k]);
      }).join(",") + "}";
    }
    return JSON.stringify(value);
  }

  // RFC 9162 section 2.1.3.2, as zhifa.record.merkle.root_from_inclusion_proof.
  function rootFromProof(leafHash, index, size, proof) {
    var idx = BigInt(index), n = BigInt(size);
    if (idx < 0n || idx >= n) return Promise.reject(new Error("叶序号不在树中"));
    var inner = (idx ^ (n - 1n)).toString(2).replace(/^0+/, "").length;
    var border = (idx >> BigInt(inner)).toString(2).split("").filter(function (c) { return c === "1"; }).length;
    if (proof.length !== inner + border) return Promise.reject(new Error("证明路径长度与树的形状不符"));
    var step = Promise.resolve(leafHash);
    proof.forEach(function (h, i) {
      var sibling = unhex(h);
      step = step.then(function (node) {
        var left = i < inner ? ((idx >> BigInt(i)) & 1n) === 1n : true;
        var one = new Uint8Array([1]);
        return sha256(left ? concat([one, sibling, node]) : concat([one, node, sibling]));
      });
    });
    return step;
  }

  function parseKey(key) {
    // The base64 key may itself hold "+": split at the first two only (as Python's split("+", 2)).
    var first = key.indexOf("+"), second = key.indexOf("+", first + 1);
    if (first < 0 || second < 0) throw new Error("公钥格式应为 名称+密钥ID+密钥");
    var parts = [key.slice(0, first), key.slice(first + 1, second), key.slice(second + 1)];
    var raw = b64(parts[2]);
    if (raw.length !== 33 || raw[0] !== 1) throw new Error("仅支持 Ed25519 公钥");
    return { name: parts[0], id: parts[1].toLowerCase(), key: raw.slice(1) };
  }

  function parseCheckpoint(note) {
    var split = note.indexOf("\n\n");
    if (split < 0) throw new Error("签名树头缺少签名");
    var body = note.slice(0, split + 1);
    var lines = body.slice(0, -1).split("\n");
    var sigs = note.slice(split + 2).split("\n").filter(Boolean).map(function (line) {
      var m = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!m) throw new Error("签名行格式错误");
      var raw = b64(m[2]);
      return { name: m[1], id: hex(raw.slice(0, 4)), sig: raw.slice(4) };
    });
    return { body: body, origin: lines[0], size: Number(lines[1]), root: b64(lines[2]), sigs: sigs };
  }

  function verifySignature(checkpoint, key) {
    var k = parseKey(key);
    var sig = checkpoint.sigs.find(function (s) { return s.name === k.name && s.id === k.id; });
    if (!sig) return Promise.resolve({ ok: false, text: "签名树头中没有该公钥的签名" });
    if (!crypto.subtle || !crypto.subtle.importKey) {
      return Promise.resolve({ ok: null, text: "浏览器不支持 WebCrypto，签名请用命令行 zhifa verify-publication 校验" });
    }
    return crypto.subtle.importKey("raw", k.key, { name: "Ed25519" }, false, ["verify"]).then(
      function (pub) {
        return crypto.subtle.verify({ name: "Ed25519" }, pub, sig.sig, enc.encode(checkpoint.body)).then(
          function (ok) {
            return { ok: ok, text: ok ? "签名树头的 Ed25519 签名有效（公钥 " + k.name + "+" + k.id + "）" : "签名树头的签名无效" };
          }
        );
      },
      function () {
        return { ok: null, text: "此浏览器不支持 Ed25519，签名请用命令行 zhifa verify-publication 校验" };
      }
    );
  }

  function verifyBundle(bundle) {
    var checks = [];
    function add(ok, text) { checks.push({ ok: ok, text: text }); }
    var content = bundle.content;
    var leafText = bundle.entry.leaf;
    var fields = JSON.parse(leafText);
    return sha256(enc.encode(canonical(content))).then(function (digest) {
      var contentOk = hex(digest) === bundle.content_sha256;
      add(contentOk, contentOk ? "公示内容的 SHA-256 与所载哈希一致" : "公示内容的 SHA-256 与所载哈希不符：内容被改动");
      var payload = fields.payload || {};
      var inEntry = payload.content_sha256 === bundle.content_sha256 &&
        canonical(payload.content) === canonical(content);
      add(inEntry, inEntry ? "记录中的公示内容与页面一致" : "记录中的公示内容与所给内容不符");
      add(fields.seq === bundle.entry.seq, "记录序号 " + fields.seq);
      return sha256(concat([new Uint8Array([0]), enc.encode(leafText)]));
    }).then(function (leaf) {
      var leafOk = hex(leaf) === bundle.entry.leaf_hash;
      add(leafOk, leafOk ? "叶哈希 SHA-256(0x00‖记录) 一致" : "叶哈希不符：记录字节被改动");
      var checkpoint = parseCheckpoint(bundle.checkpoint);
      return rootFromProof(leaf, bundle.entry.seq, bundle.proof.tree_size, bundle.proof.hashes).then(
        function (root) {
          var rootOk = equal(root, checkpoint.root) && checkpoint.size === bundle.proof.tree_size;
          add(rootOk, rootOk ? "包含证明成立：记录在签名树头（" + checkpoint.size + "条）中" : "包含证明不成立：根哈希与签名树头不符");
          return checkpoint;
        },
        function (err) { add(false, "包含证明无效：" + err.message); return checkpoint; }
      );
    }).then(function (checkpoint) {
      return verifySignature(checkpoint, bundle.public_key).then(function (sig) {
        checks.push(sig);
        return checks;
      });
    });
  }

  function show(output, checks) {
    var failed = checks.filter(function (c) { return c.ok === false; }).length;
    var unknown = checks.filter(function (c) { return c.ok === null; }).length;
    output.className = "verify-result " + (failed ? "verify-fail" : "verify-ok");
    var title = failed ? "校验未通过（" + failed + "项）" :
      (unknown ? "内容与包含证明校验通过；签名需用命令行校验" : "校验通过：公示内容、全过程记录和签名树头一致");
    output.innerHTML = "";
    var head = document.createElement("strong");
    head.textContent = title;
    var list = document.createElement("ul");
    checks.forEach(function (c) {
      var li = document.createElement("li");
      li.textContent = (c.ok === true ? "✓ " : c.ok === false ? "✗ " : "？ ") + c.text;
      list.appendChild(li);
    });
    output.appendChild(head);
    output.appendChild(list);
  }

  function run(url, output) {
    output.className = "verify-result";
    output.textContent = "校验中…";
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error("无法获取 " + url + "（" + r.status + "）");
        return r.json();
      })
      .then(verifyBundle)
      .then(function (checks) { show(output, checks); })
      .catch(function (err) {
        output.className = "verify-result verify-fail";
        output.textContent = "校验未通过：" + err.message;
      });
  }

  window.zhifaVerifyPublication = { verifyBundle: verifyBundle, canonical: canonical };

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-verify-proof],[data-verify-input]");
    if (!button) return;
    var output = document.getElementById(button.getAttribute("data-verify-output"));
    var url = button.getAttribute("data-verify-proof");
    if (!url) url = document.getElementById(button.getAttribute("data-verify-input")).value.trim();
    if (url) run(url, output);
  });

  // Enter in the address field verifies rather than submitting the form (no inline onsubmit:
  // the Content-Security-Policy runs scripts from files only).
  document.addEventListener("submit", function (event) {
    var button = event.target.querySelector("[data-verify-input]");
    if (!button) return;
    event.preventDefault();
    button.click();
  });
})();
