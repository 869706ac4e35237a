// A form whose text is larger than a request may carry (DATA_UPLOAD_MAX_MEMORY_SIZE) is not
// sent: the server would refuse it and the page typed into would be gone. The form stays as it
// is, with the limit and the size said beside its button. Files are not counted (the upload
// limits are their own). The limit and the message come from <meta name="zhifa-form-limit">.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="zhifa-form-limit"]');
  var limit = meta ? parseInt(meta.content, 10) : 0;
  if (!limit) {
    return;
  }
  var encoder = new TextEncoder();

  function textBytes(form, submitter) {
    var data = new FormData(form, submitter || undefined);
    var total = 0;
    data.forEach(function (value, name) {
      if (typeof value !== "string") {
        return;
      }
      // As sent url-encoded: what Django counts against the limit.
      total += encoder.encode(encodeURIComponent(name) + "=" + encodeURIComponent(value)).length + 1;
    });
    return total;
  }

  function say(form, bytes) {
    var box = form.querySelector(".form-size-error");
    if (!box) {
      box = document.createElement("p");
      box.className = "form-errors form-size-error";
      box.setAttribute("role", "alert");
      box.tabIndex = -1;
      form.insertBefore(box, form.firstChild);
    }
    var mb = function (n) { return (n / 1048576).toFixed(1); };
    box.textContent = meta.dataset.message
      .replace("%(size)s", mb(bytes))
      .replace("%(limit)s", mb(limit));
    box.focus();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") {
      return;
    }
    var bytes = textBytes(form, event.submitter);
    if (bytes > limit) {
      event.preventDefault();
      event.stopImmediatePropagation();
      say(form, bytes);
    } else {
      var box = form.querySelector(".form-size-error");
      if (box) {
        box.remove();
      }
    }
  }, true);
})();
