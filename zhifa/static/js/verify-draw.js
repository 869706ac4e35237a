/* Verify a published 双随机 draw in the browser (/public/inspections/draws/<id>.json).
 *
 * The same checks as `zhifa draw-verify` (zhifa.inspections.draw.verify_document):
 *   1. each pool is sorted, each identifier once, and SHA-256 of its lines ("\n" each) equals
 *      its published `pool_sha256`;
 *   2. the checkpoint (C2SP signed note) is signed by the log's key (WebCrypto Ed25519 where
 *      the browser has it), the seed D is its root hash in lowercase hex and its size ≥ N;
 *   3. the freeze entry is in the checkpoint's tree (RFC 9162 inclusion proof), before N, and
 *      recorded the same pools' hashes, counts and N;
 *   4. each pool's selection is its top k by SHA-256(C + "/" + D), highest first, after the
 *      recorded skips.
 * No library, no network other than fetching the document itself.
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

  function compareBytes(a, b) {
    for (var i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] !== b[i]) return a[i] - b[i];
    }
    return a.length - b.length;
  }

  // Code point order, as Python sorts strings.
  function byCodePoint(a, b) {
    return compareBytes(enc.encode(a), enc.encode(b));
  }

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
    var first = key.indexOf("+"), second = key.indexOf("+", first + 1);
    if (first < 0 || second < 0) throw new Error("公钥格式应为 名称+密钥ID+密钥");
    var raw = b64(key.slice(second + 1));
    if (raw.length !== 33 || raw[0] !== 1) throw new Error("仅支持 Ed25519 公钥");
    return { name: key.slice(0, first), id: key.slice(first + 1, second).toLowerCase(), key: raw.slice(1) };
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
    return { body: body, size: Number(lines[1]), root: b64(lines[2]), sigs: sigs };
  }

  function verifySignature(checkpoint, key) {
    var k = parseKey(key);
    var sig = checkpoint.sigs.find(function (s) { return s.name === k.name && s.id === k.id; });
    if (!sig) return Promise.resolve({ ok: false, text: "签名树头中没有日志公钥的签名" });
    return crypto.subtle.importKey("raw", k.key, { name: "Ed25519" }, false, ["verify"]).then(
      function (pub) {
        return crypto.subtle.verify({ name: "Ed25519" }, pub, sig.sig, enc.encode(checkpoint.body)).then(
          function (ok) {
            return { ok: ok, text: ok ? "签名树头的 Ed25519 签名有效" : "签名树头的签名无效" };
          }
        );
      },
      function () {
        return { ok: null, text: "此浏览器不支持 Ed25519，签名请用命令行 zhifa draw-verify 校验" };
      }
    );
  }

  function checkPool(pool, seed, add) {
    var members = pool.pool;
    var sorted = members.slice().sort(byCodePoint);
    var ordered = sorted.every(function (m, i) { return m === members[i] && (i === 0 || m !== sorted[i - 1]); });
    add(ordered, "名录“" + pool.name + "”" + (ordered ? "按升序排列、无重复" : "未按升序排列或有重复项"));
    var text = members.map(function (m) { return m + "\n"; }).join("");
    return sha256(enc.encode(text)).then(function (digest) {
      var hashOk = hex(digest) === pool.pool_sha256;
      add(hashOk, "名录“" + pool.name + "”的 SHA-256 " + (hashOk ? "与公布的一致" : "与公布的不符：名录被改动"));
      return Promise.all(members.map(function (m) { return sha256(enc.encode(m + "/" + seed)); }));
    }).then(function (keys) {
      var order = members.map(function (m, i) { return { id: m, key: keys[i] }; });
      order.sort(function (a, b) { return compareBytes(b.key, a.key); });
      var skipped = new Set(pool.skipped.map(function (s) { return s.id; }));
      var expected = [];
      for (var i = 0; i < order.length && expected.length < pool.count; i++) {
        if (!skipped.has(order[i].id)) expected.push(order[i].id);
      }
      var ok = expected.length === pool.selected.length &&
        expected.every(function (id, i) { return id === pool.selected[i]; });
      add(ok, "名录“" + pool.name + "”" + (ok ? "的抽中结果是除去所载跳过项后的前" + pool.count + "名" : "的抽中结果不是按种子排序的前k名"));
    });
  }

  function checkFreeze(doc, checkpoint, add) {
    var frozen = doc.task && doc.task.freeze_entry;
    if (!frozen) return Promise.resolve();
    var fields = JSON.parse(frozen.leaf);
    var payload = fields.payload || {};
    return sha256(concat([new Uint8Array([0]), enc.encode(frozen.leaf)])).then(function (leaf) {
      return rootFromProof(leaf, frozen.seq, checkpoint.size, frozen.proof);
    }).then(function (root) {
      var announced = (payload.pools || []).map(function (p) { return [p.name, p.sha256, p.count].join("|"); });
      var published = doc.pools.map(function (p) { return [p.name, p.pool_sha256, p.count].join("|"); });
      var ok = compareBytes(root, checkpoint.root) === 0 && fields.action === "inspection.draw_freeze" &&
        fields.seq === frozen.seq && frozen.seq + 1 < doc.seed_size && payload.seed_size === doc.seed_size &&
        announced.join("\n") === published.join("\n");
      add(ok, ok ? "名录冻结记录（第" + frozen.seq + "条）在签名树头中、位于种子树规模之前，所记名录哈希与公布的一致"
        : "名录冻结记录与公布的名录或种子树规模不符");
    }, function (err) { add(false, "名录冻结记录的包含证明无效：" + err.message); });
  }

  function verifyDocument(doc, key) {
    var checks = [];
    function add(ok, text) { checks.push({ ok: ok, text: text }); }
    if (!doc.checkpoint) {
      add(null, "尚未抽取：种子取自第一个规模不小于" + doc.seed_size + "条的签名树头");
      return Promise.all(doc.pools.map(function (p) {
        var text = p.pool.map(function (m) { return m + "\n"; }).join("");
        return sha256(enc.encode(text)).then(function (d) {
          add(hex(d) === p.pool_sha256, "名录“" + p.name + "”的 SHA-256 " + (hex(d) === p.pool_sha256 ? "与公布的一致" : "与公布的不符"));
        });
      })).then(function () { return checks; });
    }
    var checkpoint = parseCheckpoint(doc.checkpoint);
    var seedOk = hex(checkpoint.root) === doc.seed;
    add(seedOk, seedOk ? "种子 D 是签名树头的根哈希" : "种子 D 不是签名树头的根哈希");
    add(checkpoint.size >= doc.seed_size, "签名树头 " + checkpoint.size + " 条，" + (checkpoint.size >= doc.seed_size ? "不小于" : "小于") + "种子树规模 " + doc.seed_size);
    return verifySignature(checkpoint, key).then(function (sig) {
      checks.push(sig);
      return checkFreeze(doc, checkpoint, add);
    }).then(function () {
      var step = Promise.resolve();
      doc.pools.forEach(function (pool) {
        step = step.then(function () { return checkPool(pool, doc.seed, add); });
      });
      return step;
    }).then(function () { return checks; });
  }

  function show(output, checks) {
    var failed = checks.filter(function (c) { return c.ok === false; }).length;
    output.className = "verify-result " + (failed ? "verify-fail" : "verify-ok");
    output.innerHTML = "";
    var head = document.createElement("strong");
    head.textContent = failed ? "校验未通过（" + failed + "项）" : "校验通过";
    var list = document.createElement("ul");
    checks.forEach(function (c) {
      var li = document.createElement("li");
      li.textContent = (c.ok === true ? "✓ " : c.ok === false ? "✗ " : "？ ") + c.text;
      list.appendChild(li);
    });
    output.appendChild(head);
    output.appendChild(list);
  }

  window.zhifaVerifyDraw = { verifyDocument: verifyDocument };

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-verify-draw]");
    if (!button) return;
    var output = document.getElementById(button.getAttribute("data-verify-output"));
    output.className = "verify-result";
    output.textContent = "校验中…";
    fetch(button.getAttribute("data-verify-draw"), { headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error("无法获取抽取结果（" + r.status + "）");
        return r.json();
      })
      .then(function (doc) { return verifyDocument(doc, button.getAttribute("data-verify-key")); })
      .then(function (checks) { show(output, checks); })
      .catch(function (err) {
        output.className = "verify-result verify-fail";
        output.textContent = "校验未通过：" + err.message;
      });
  });
})();
