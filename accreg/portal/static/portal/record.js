// The collection wizard made quicker with JavaScript; every page works without it (the server
// decides every rule, shows every field and proposes the department after a save).
(function () {
  "use strict";

  // The notice: the agree button waits for the province's reading time (the server counts too).
  document.querySelectorAll("button[data-wait]").forEach(function (button) {
    var seconds = parseInt(button.getAttribute("data-wait"), 10) || 0;
    if (seconds <= 0) { return; }
    var label = button.textContent;
    var hint = document.querySelector("[data-wait-hint]");
    button.disabled = true;
    (function tick() {
      if (seconds <= 0) {
        button.disabled = false;
        button.textContent = label;
        if (hint) { hint.hidden = true; }
        return;
      }
      button.textContent = label + "（" + seconds + "秒）";
      seconds -= 1;
      setTimeout(tick, 1000);
    })();
  });

  // Work: only the fields of the chosen employment status; certificate numbers only after 是.
  var workForm = document.querySelector("form[data-employment-form]");
  var kinds = {};
  var kindsNode = document.getElementById("employment-kinds");
  if (kindsNode) { kinds = JSON.parse(kindsNode.textContent); }
  function checkedValue(form, name) {
    var checked = form.querySelector("input[name='" + name + "']:checked");
    return checked ? checked.value : "";
  }
  function toggleWork() {
    var kind = kinds[checkedValue(workForm, "employment")] || "";
    workForm.querySelectorAll("[data-show-for]").forEach(function (field) {
      field.hidden = field.getAttribute("data-show-for") !== kind;
    });
    workForm.querySelectorAll("[data-shown-if]").forEach(function (field) {
      field.hidden = checkedValue(workForm, field.getAttribute("data-shown-if")) !== "true";
    });
  }
  if (workForm) {
    workForm.addEventListener("change", function (event) {
      toggleWork();
      if (/_region$/.test(event.target.name || "") && event.target.value) { proposeDepartments(event.target.value); }
    });
    toggleWork();
  }

  // The department select follows the region: the departments serving it, nearest first.
  function proposeDepartments(region) {
    var select = document.querySelector("select[name='department']");
    if (!select || select.hasAttribute("data-locked") || !window.fetch) { return; }
    fetch("/api/v1/departments?region=" + encodeURIComponent(region), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (departments) {
        select.innerHTML = "";
        var blank = document.createElement("option");
        blank.value = "";
        blank.textContent = departments.length ? "请选择" : "该地区暂无受理部门";
        select.appendChild(blank);
        departments.forEach(function (d, index) {
          var option = document.createElement("option");
          option.value = d.code;
          option.textContent = d.name + (index === 0 ? "（推荐）" : "");
          option.selected = index === 0;
          select.appendChild(option);
        });
      })
      .catch(function () { /* the server proposes one on save */ });
  }

  // Region pickers: first the city, then its counties.
  document.querySelectorAll("[data-region-picker]").forEach(function (picker) {
    var groupSelect = picker.querySelector("[data-region-group]");
    var county = picker.querySelector("select:not([data-region-group])");
    if (!groupSelect || !county) { return; }
    var groups = Array.prototype.map.call(county.querySelectorAll("optgroup"), function (g) { return g.cloneNode(true); });
    function show(index, keep) {
      var value = keep ? county.value : "";
      county.innerHTML = "";
      var blank = document.createElement("option");
      blank.value = "";
      blank.textContent = "请选择区县";
      county.appendChild(blank);
      if (index !== "") {
        Array.prototype.forEach.call(groups[index].children, function (option) {
          county.appendChild(option.cloneNode(true));
        });
      }
      county.value = value;
    }
    var selected = county.querySelector("option:checked");
    var current = selected && selected.parentNode.getAttribute("data-group");
    groupSelect.hidden = false;
    groupSelect.value = current === null || current === undefined ? "" : current;
    show(groupSelect.value, true);
    groupSelect.addEventListener("change", function () { show(groupSelect.value, false); });
  });

  // Materials. A chosen picture is shrunk on the phone to what the rule can use (turned upright by
  // its EXIF orientation, re-encoded as JPEG), sent with a progress bar, and the server's answer
  // (the slot with its thumbnail, the fixes and the confirm button, or the refusal) replaces that
  // one slot; nothing reloads. The server checks and fixes everything again. Without JavaScript
  // the plain forms post and the page comes back at the material.
  var SEND_AS_IS_BYTES = 600 * 1024;  // a small JPEG or PNG within the size is sent untouched
  var STALL_MS = 45000;  // no byte accepted for this long: the connection is gone
  var DECODABLE = /^image\/(jpeg|png|webp|bmp|gif)$/;

  function slotOf(node) { return node.closest("article.material"); }

  function say(form, text, isError) {
    var state = form.querySelector(".upload-state");
    state.textContent = text;
    state.classList.toggle("is-error", !!isError);
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  // The picture decoded and turned upright by its EXIF orientation: createImageBitmap where the
  // browser has it (no URL to load, so the page's Content-Security-Policy needs no blob: images),
  // else an <img> from an object URL. {source, width, height, done} or null.
  function decode(file) {
    if (!DECODABLE.test(file.type)) { return Promise.resolve(null); }
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" })
        .then(function (bitmap) {
          return { source: bitmap, width: bitmap.width, height: bitmap.height, done: function () { bitmap.close(); } };
        })
        .catch(function () { return null; });
    }
    return new Promise(function (resolve) {
      if (!window.URL || !URL.createObjectURL) { resolve(null); return; }
      var url = URL.createObjectURL(file);
      var img = new Image();
      function done() { URL.revokeObjectURL(url); }
      img.onload = function () { resolve({ source: img, width: img.naturalWidth, height: img.naturalHeight, done: done }); };
      img.onerror = function () { done(); resolve(null); };
      img.src = url;  // browsers apply the EXIF orientation to images
    });
  }

  // {blob, width, height} to send instead of the file, or null to send the file as it is (already
  // small, not a picture this browser can read, or too small: the server's refusal says why).
  function shrink(file, side) {
    return decode(file).then(function (picture) {
      if (!picture) { return null; }
      var w = picture.width, h = picture.height;
      var scale = Math.min(1, side / Math.max(w, h));
      if (scale === 1 && file.size <= SEND_AS_IS_BYTES && /jpeg|png/.test(file.type)) { picture.done(); return null; }
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(w * scale));
      canvas.height = Math.max(1, Math.round(h * scale));
      var context = canvas.getContext("2d");
      if (!context || !canvas.toBlob) { picture.done(); return null; }
      context.fillStyle = "#fff";  // transparency becomes the white background photos need
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.imageSmoothingQuality = "high";
      context.drawImage(picture.source, 0, 0, canvas.width, canvas.height);
      picture.done();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || (scale === 1 && blob.size >= file.size)) { resolve(null); return; }
          resolve({ blob: blob, width: w, height: h });
        }, "image/jpeg", 0.85);
      });
    }).catch(function () { return null; });
  }

  function putSlot(slot, html) {
    if (!html) { return slot; }
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.firstElementChild;
    slot.replaceWith(fresh);
    prepare(fresh);
    var news = fresh.querySelector("[role=alert], [role=status]");
    if (news) { news.setAttribute("tabindex", "-1"); news.focus({ preventScroll: true }); }
    watchReadings();
    return fresh;
  }

  function readAnswer(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("application/json") < 0) { return null; }
    try { return JSON.parse(xhr.responseText); } catch (e) { return null; }
  }

  function send(form, upload) {
    var slot = slotOf(form);
    var bar = form.querySelector("progress");
    var retry = form.querySelector(".retry");
    var data = new FormData();
    ["csrfmiddlewaretoken", "kind", "item"].forEach(function (name) {
      data.append(name, form.querySelector("input[name=" + name + "]").value);
    });
    data.append("action", "upload");
    data.append("upload_key", upload.key);
    if (upload.original) {
      data.append("original_width", upload.original.width);
      data.append("original_height", upload.original.height);
      data.append("original_bytes", upload.original.bytes);
    }
    data.append("file", upload.blob, upload.name);
    var xhr = new XMLHttpRequest();
    var lastProgress = Date.now();
    var watchdog = setInterval(function () {
      if (Date.now() - lastProgress > STALL_MS) { xhr.abort(); }
    }, 5000);
    function failed(text) {
      clearInterval(watchdog);
      slot.classList.remove("is-busy");
      bar.parentNode.hidden = true;
      say(form, text, true);
      retry.hidden = false;
      retry.onclick = function () { retry.hidden = true; send(form, upload); };
    }
    // form.action would be the button named "action", not the attribute
    xhr.open("POST", form.getAttribute("action") || window.location.pathname);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      lastProgress = Date.now();
      if (e.lengthComputable) {
        bar.value = Math.round((e.loaded / e.total) * 100);
        say(form, "正在上传 " + bar.value + "%（" + Math.round(e.loaded / 1024) + "KB / " + Math.round(e.total / 1024) + "KB）");
      }
    });
    xhr.upload.addEventListener("load", function () { lastProgress = Date.now(); say(form, "上传完成，正在处理图片…"); });
    xhr.addEventListener("load", function () {
      clearInterval(watchdog);
      var answer = readAnswer(xhr);
      if (answer && answer.html) { putSlot(slot, answer.html); return; }
      if (answer && answer.message) { failed(answer.message); return; }
      if (xhr.status === 413) { failed("文件太大，请选择较小的图片"); return; }
      failed("上传未成功（" + xhr.status + "），请点“重试上传”");
    });
    xhr.addEventListener("error", function () { failed("网络中断，上传未完成。请检查网络后点“重试上传”，已选的图片不必重新选择"); });
    xhr.addEventListener("abort", function () { failed("网络太慢或已断开，上传已停止。请点“重试上传”"); });
    slot.classList.add("is-busy");
    bar.parentNode.hidden = false;
    bar.value = 0;
    retry.hidden = true;
    say(form, "正在上传…");
    xhr.send(data);
  }

  function choose(form, file) {
    var slot = slotOf(form);  // the last answer gives way to this attempt
    slot.classList.remove("has-error");
    slot.querySelectorAll(":scope > .error, :scope > .success").forEach(function (old) { old.remove(); });
    var limit = parseInt(form.getAttribute("data-max-bytes"), 10);
    var side = parseInt(form.getAttribute("data-shrink-side"), 10) || 1800;
    say(form, "正在准备图片…");
    shrink(file, side).then(function (small) {
      var upload = { key: newKey(), blob: file, name: file.name || "photo.jpg", original: null };
      if (small) {
        upload.blob = small.blob;
        upload.name = (upload.name.replace(/\.[^.]*$/, "") || "photo") + ".jpg";
        upload.original = { width: small.width, height: small.height, bytes: file.size };
      } else if (limit && file.size > limit) {  // said at once, before minutes of sending on a slow line
        say(form, "文件超过" + Math.round(limit / 1048576) + "MB，请选择较小的图片或截图后上传", true);
        return;
      }
      send(form, upload);
    });
  }

  function act(form, button) {  // confirm or delete, answered with the slot
    var slot = slotOf(form);
    var data = new FormData(form);
    data.set("action", button ? button.value : "confirm");
    if (button) { button.disabled = true; }
    fetch(form.getAttribute("action") || window.location.pathname, {
      method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" }
    })
      .then(function (response) {
        return response.json().catch(function () { return { message: "操作未成功（" + response.status + "），请刷新页面后重试" }; });
      })
      .then(function (answer) {
        if (answer.html) { putSlot(slot, answer.html); return; }
        if (button) { button.disabled = false; }
        window.alert(answer.message || "操作未成功，请重试");
      })
      .catch(function () {  // no answer at all: the connection
        if (button) { button.disabled = false; }
        window.alert("网络中断，操作未完成，请重试");
      });
  }

  function prepare(root) {
    if (!window.FormData || !window.XMLHttpRequest) { return; }
    root.querySelectorAll("form[data-upload]").forEach(function (form) {
      var input = form.querySelector("input[type=file]");
      form.querySelector("button[type=submit]").hidden = true;  // choosing a picture sends it
      input.addEventListener("change", function () { if (input.files.length) { choose(form, input.files[0]); } });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (input.files.length) { choose(form, input.files[0]); }
      });
    });
    if (!window.fetch) { return; }
    root.querySelectorAll("form[data-slot-action]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        act(form, event.submitter);
      });
    });
  }
  // Readings (issue 17). An ID card or certificate is read by the server after the upload; while
  // it reads, its slot says so quietly and the page asks every 2 s for a minute at most (a new
  // upload starts the minute again). What it found replaces that note: a warning under the
  // material, or discreet ticks. Nothing waits for it: the person may go on and submit. Without
  // JavaScript the page shows the same on reload.
  var READ_EVERY_MS = 2000;
  var READ_FOR_MS = 60000;
  var readingsHolder = document.querySelector("[data-readings-url]");
  var readUntil = 0;
  var reading = false;

  function pendingReadings() { return document.querySelectorAll("[data-reading=pending]"); }

  function askReadings() {
    if (!pendingReadings().length) { reading = false; return; }
    if (Date.now() > readUntil) {
      reading = false;
      pendingReadings().forEach(function (node) {
        var note = node.querySelector(".reading-note");
        if (note) { note.textContent = "识别仍在后台进行，稍后刷新页面即可查看结果。"; }
      });
      return;
    }
    fetch(readingsHolder.getAttribute("data-readings-url"), {
      credentials: "same-origin", headers: { Accept: "application/json" }
    })
      .then(function (response) { return response.ok ? response.json() : { readings: {} }; })
      .then(function (answer) {
        pendingReadings().forEach(function (node) {
          var found = (answer.readings || {})[node.getAttribute("data-reading-slot")];
          if (!found || found.state === "pending" || !found.html) { return; }
          var holder = document.createElement("div");
          holder.innerHTML = found.html;
          var fresh = holder.firstElementChild;  // its content goes into the live region in place
          node.className = fresh.className;
          node.setAttribute("data-reading", fresh.getAttribute("data-reading"));
          node.innerHTML = fresh.innerHTML;
        });
      })
      .catch(function () { /* a dropped line: ask again next time */ })
      .then(function () { setTimeout(askReadings, READ_EVERY_MS); });
  }

  function watchReadings() {
    if (!readingsHolder || !window.fetch) { return; }
    readUntil = Date.now() + READ_FOR_MS;
    if (!reading && pendingReadings().length) {
      reading = true;
      setTimeout(askReadings, READ_EVERY_MS);
    }
  }

  prepare(document);
  watchReadings();
})();
