/* SkillProof pages: small enhancements; every page also works without this script. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  // Forms that delete ask first.
  function confirmForms() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }

  // Upload: new-candidate fields, drag and drop, the file list and the size limit.
  function uploadForm() {
    var form = document.getElementById("upload-form");
    if (!form) { return; }
    var select = document.getElementById("candidate-select");
    var fields = document.getElementById("new-candidate");
    var input = document.getElementById("files");
    var zone = document.getElementById("dropzone");
    var list = document.getElementById("file-list");
    var warning = document.getElementById("size-warning");
    var limit = parseInt(form.getAttribute("data-limit") || "0", 10);

    function toggleNew() {
      var isNew = select.value === "new";
      fields.hidden = !isNew;
      fields.querySelector("input[name=name]").required = isNew;
    }
    select.addEventListener("change", toggleNew);
    toggleNew();

    function total() {
      var sum = 0;
      for (var i = 0; i < input.files.length; i++) { sum += input.files[i].size; }
      return sum;
    }
    function showFiles() {
      list.replaceChildren();
      for (var i = 0; i < input.files.length; i++) {
        var li = document.createElement("li");
        li.textContent = input.files[i].name + " (" + Math.max(1, Math.round(input.files[i].size / 1024)) + " kB)";
        list.appendChild(li);
      }
      var tooBig = limit > 0 && total() > limit;
      warning.hidden = !tooBig;
      warning.textContent = tooBig ? "These files add up to more than " + Math.round(limit / 1048576) +
        " MB, the most one upload may carry. Upload them in smaller batches." : "";
    }
    input.addEventListener("change", showFiles);

    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!event.dataTransfer || !event.dataTransfer.files.length) { return; }
      var merged = new DataTransfer();
      for (var i = 0; i < input.files.length; i++) { merged.items.add(input.files[i]); }
      for (var j = 0; j < event.dataTransfer.files.length; j++) { merged.items.add(event.dataTransfer.files[j]); }
      input.files = merged.files;
      showFiles();
    });
    form.addEventListener("submit", function (event) {
      if (limit > 0 && total() > limit) {
        event.preventDefault();
        warning.hidden = false;
        warning.focus();
        return;
      }
      var button = document.getElementById("upload-button");
      button.disabled = true;
      button.textContent = "Uploading…";
    });
  }

  // A running job: fetch its results and show each one as it lands.
  function jobProgress() {
    var region = document.getElementById("job-results");
    if (!region) { return; }
    var src = region.getAttribute("data-src");
    function finished() {
      var progress = region.querySelector(".job-progress");
      return !progress || progress.getAttribute("data-finished") === "yes";
    }
    function update(html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.querySelector(".job-progress");
      var current = region.querySelector(".job-progress");
      if (fresh && current) { current.replaceWith(document.importNode(fresh, true)); }
      var list = region.querySelector("ol.results");
      doc.querySelectorAll("ol.results > li").forEach(function (item) {
        var pos = item.getAttribute("data-pos");
        var old = list.querySelector('li[data-pos="' + pos + '"]');
        if (!old) {
          list.appendChild(document.importNode(item, true));
        } else if (old.getAttribute("data-status") !== item.getAttribute("data-status")) {
          old.replaceWith(document.importNode(item, true));
        }
      });
    }
    function poll() {
      if (finished()) { return; }
      fetch(src, {credentials: "same-origin", headers: {"Accept": "text/html"}})
        .then(function (response) {
          if (!response.ok) { throw new Error("status " + response.status); }
          return response.text();
        })
        .then(function (html) { update(html); window.setTimeout(poll, 500); })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 300);
  }

  // Shortlist toggles apply at once.
  function shortlistToggles() {
    var form = document.getElementById("shortlist-toggles");
    if (!form) { return; }
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.addEventListener("change", function () { form.submit(); });
    });
  }

  // Skill suggestions for a requirements box: the last line is looked up in the taxonomy.
  function skillSuggestions() {
    document.querySelectorAll("textarea[data-suggest]").forEach(function (box) {
      var list = document.getElementById("skill-suggestions");
      if (!list) {
        list = document.createElement("ul");
        list.className = "suggestions plain";
        list.setAttribute("aria-live", "polite");
        box.parentNode.insertBefore(list, box.nextSibling);
      }
      var timer = null;
      box.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          var lines = box.value.split("\n");
          var last = lines[lines.length - 1].trim();
          if (last.length < 2) { list.replaceChildren(); return; }
          fetch(box.getAttribute("data-suggest") + "?q=" + encodeURIComponent(last), {credentials: "same-origin"})
            .then(function (r) { return r.ok ? r.json() : {skills: []}; })
            .then(function (data) {
              list.replaceChildren();
              data.skills.forEach(function (skill) {
                var li = document.createElement("li");
                var button = document.createElement("button");
                button.type = "button";
                button.className = "link";
                button.textContent = skill.label;
                button.addEventListener("click", function () {
                  lines[lines.length - 1] = skill.label;
                  box.value = lines.join("\n");
                  list.replaceChildren();
                  box.focus();
                });
                li.appendChild(button);
                list.appendChild(li);
              });
            })
            .catch(function () { list.replaceChildren(); });
        }, 200);
      });
    });
  }

  ready(function () {
    confirmForms();
    uploadForm();
    jobProgress();
    shortlistToggles();
    skillSuggestions();
  });
}());
