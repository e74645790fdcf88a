// The 获取验证码 button and the captcha picture without a page reload; without JavaScript the
// button submits the form instead, and a new captcha comes with the next page.
(function () {
  "use strict";
  function countdown(button, seconds) {
    button.disabled = true;
    (function tick() {
      if (seconds <= 0) { button.disabled = false; button.textContent = "重新获取"; return; }
      button.textContent = seconds + "秒后重试";
      seconds -= 1;
      setTimeout(tick, 1000);
    })();
  }
  document.addEventListener("click", function (event) {
    var captcha = event.target.closest("img.captcha");
    if (captcha) {
      fetch("/api/v1/captchas", { method: "POST" }).then(function (r) { return r.json(); }).then(function (body) {
        if (!body.image) { return; }
        captcha.src = body.image;
        captcha.closest("form").querySelector("[name=captcha_key]").value = body.captcha_key;
      });
      return;
    }
    var button = event.target.closest("button[data-sms-purpose]");
    if (!button) { return; }
    event.preventDefault();
    var form = button.form;
    var status = button.closest(".field").querySelector(".sms-status");
    var mobile = form.querySelector("[name=mobile]");
    status.classList.remove("error");
    button.disabled = true;
    fetch("/api/v1/sms-codes", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ mobile: mobile ? mobile.value : "", purpose: button.dataset.smsPurpose,
                             province: button.dataset.province })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.status === 202) {
          status.textContent = "验证码已发送，5分钟内有效";
          countdown(button, 60);
          form.querySelector("[name=sms_code]").focus();
          return;
        }
        var error = body.error || {};
        status.textContent = (error.fields && error.fields.mobile && error.fields.mobile[0]) || error.message || "发送失败，请稍后再试";
        status.classList.add("error");
        var wait = parseInt(response.headers.get("Retry-After") || "0", 10);
        if (response.status === 429 && wait > 0 && wait <= 120) { countdown(button, wait); } else { button.disabled = false; }
      });
    }).catch(function () {
      status.textContent = "网络不稳定，请稍后重试";
      status.classList.add("error");
      button.disabled = false;
    });
  });
})();
