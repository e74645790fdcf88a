// The claim form's two photos shrink on the phone before they are sent (the server keeps at most
// 2400 px a side anyway): two camera pictures of several MB each are slow on a weak network.
// Without JavaScript, or where the browser cannot, the originals go as chosen.
(function () {
  "use strict";
  var form = document.querySelector("form[data-shrink-photos]");
  if (!form || !window.createImageBitmap || !window.DataTransfer || !form.requestSubmit) { return; }
  var MAX_SIDE = 2400;
  function shrink(input) {
    var file = input.files && input.files[0];
    if (!file || file.size < 1024 * 1024) { return Promise.resolve(); }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (blob && blob.size < file.size) {
            var list = new DataTransfer();
            list.items.add(new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" }));
            input.files = list.files;
          }
          resolve();
        }, "image/jpeg", 0.85);
      });
    }).catch(function () { /* the original goes as chosen */ });
  }
  form.addEventListener("submit", function (event) {
    if (form.dataset.shrunk) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[type=file]"));
    Promise.all(inputs.map(shrink)).then(function () {
      form.dataset.shrunk = "1";
      if (submitter && submitter.form === form) { form.requestSubmit(submitter); } else { form.requestSubmit(); }
    });
  });
})();
