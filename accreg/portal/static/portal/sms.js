// The 获取验证码 button and the captcha picture without a page reload; without JavaScript the
// button submits the form instead, and a new captcha comes with the next page.
(function () {
  "use strict";
  function countdown(button, seconds) {
    button.disabled = true;
    clearTimeout(button.countdownTimer);
    (function tick() {
      if (seconds <= 0) { button.disabled = false; button.textContent = "重新获取"; return; }
      button.textContent = seconds + "秒后重试";
      seconds -= 1;
      button.countdownTimer = setTimeout(tick, 1000);
    })();
  }
  function valueOf(form, name) {
    var input = form.querySelector("[name=" + name + "]");
    return input ? input.value : "";
  }
  function clearFieldErrors(field) {
    if (!field) { return; }
    field.classList.remove("has-error");
    field.querySelectorAll("p.error").forEach(function (p) { p.remove(); });
    field.querySelectorAll("[aria-invalid]").forEach(function (input) { input.removeAttribute("aria-invalid"); });
  }
  // A corrected mobile number may ask for a code at once: the server limits each number itself.
  document.addEventListener("input", function (event) {
    if (event.target.name !== "mobile") { return; }
    var button = event.target.form && event.target.form.querySelector("button[data-sms-purpose]");
    if (button && button.countdownTimer) {
      clearTimeout(button.countdownTimer);
      button.countdownTimer = null;
      button.disabled = false;
      button.textContent = "获取验证码";
    }
  });
  document.addEventListener("click", function (event) {
    var captchaButton = event.target.closest("button.captcha-button");
    if (captchaButton) {
      event.preventDefault();
      var picture = captchaButton.querySelector("img");
      fetch("/api/v1/captchas", { method: "POST" }).then(function (r) { return r.json(); }).then(function (body) {
        if (!body.image) { return; }
        picture.src = body.image;
        captchaButton.form.querySelector("[name=captcha_key]").value = body.captcha_key;
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
                             province: button.dataset.province, id_number: valueOf(form, "id_number"),
                             id_type: valueOf(form, "id_type") || "111" })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.status === 202) {
          clearFieldErrors(mobile && mobile.closest(".field"));
          clearFieldErrors(button.closest(".field"));
          status.classList.remove("error");
          status.textContent = "验证码已发送，5分钟内有效";
          countdown(button, 60);
          form.querySelector("[name=sms_code]").focus();
          return;
        }
        var error = body.error || {};
        status.textContent = (error.fields && error.fields.mobile && error.fields.mobile[0]) || error.message || "发送失败，请稍后再试";
        status.classList.add("error");
        if (mobile && error.fields && error.fields.mobile) { mobile.setAttribute("aria-invalid", "true"); }
        var idNumber = form.querySelector("[name=id_number]");
        if (idNumber && error.fields && error.fields.id_number) { idNumber.setAttribute("aria-invalid", "true"); }
        var offer = form.querySelector("[data-claim-offer]");  // 申请找回该证件号码的账户
        if (offer && error.code === "id_number_taken") { offer.hidden = false; }
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
