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

  // Uploads with a progress bar, for slow connections; the page after is the server's.
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var bar = form.querySelector("progress");
    var state = form.querySelector(".upload-state");
    var button = form.querySelector("button[type=submit]");
    if (!window.FormData) { return; }
    button.hidden = true;  // choosing a picture sends it; the button is for pages without JavaScript
    input.addEventListener("change", function () { if (input.files.length) { form.requestSubmit(button); } });
    form.addEventListener("submit", function (event) {
      if (!input.files.length) { return; }
      event.preventDefault();
      var limit = parseInt(form.getAttribute("data-max-bytes"), 10);
      if (limit && input.files[0].size > limit) {  // said at once, before minutes of sending on a slow line
        state.textContent = "文件超过" + Math.round(limit / 1048576) + "MB，请选择较小的图片";
        return;
      }
      var data = new FormData(form);
      data.set("action", "upload");
      var xhr = new XMLHttpRequest();
      // form.action is the button named "action", not the attribute
      xhr.open("POST", form.getAttribute("action") || window.location.pathname);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          bar.value = Math.round((e.loaded / e.total) * 100);
          state.textContent = "正在上传 " + bar.value + "%";
        }
      });
      xhr.upload.addEventListener("load", function () { state.textContent = "上传完成，正在处理图片…"; });
      xhr.addEventListener("load", function () {
        if (xhr.status >= 400) {  // refused before the page could say why: too large for a proxy, session ended
          state.textContent = xhr.status === 413 ? "文件太大，请上传较小的图片" : "上传未成功（" + xhr.status + "），请刷新页面后重试";
          button.disabled = false;
          bar.hidden = true;
          return;
        }
        var anchor = form.querySelector("input[name=kind]").value + "-" + form.querySelector("input[name=item]").value;
        window.location.assign(window.location.pathname + "?t=" + Date.now() + "#m-" + anchor);
      });
      xhr.addEventListener("error", function () {
        state.textContent = "网络中断，上传未完成，请重试";
        button.disabled = false;
        bar.hidden = true;
      });
      bar.hidden = false;
      bar.value = 0;
      button.disabled = true;
      state.textContent = "正在上传…";
      xhr.send(data);
    });
  });
})();
