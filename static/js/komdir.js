// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Close an open <details> menu with Escape and return focus to its summary.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details[open].komdir-usermenu").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary) summary.focus();
    });
  });
})();

// Drafts: what a member types in a form marked data-keep-draft is kept in this browser
// (localStorage, one entry per page and form, field by field), so a closed tab or a session
// that ran out loses nothing. The form shows a restored draft with a notice and a button to
// discard it. A draft is dropped once the portal confirms a send (a success message on the
// next page); a send that ended elsewhere (the login page, an error) keeps it. The server
// keeps posted text too (komdir.kept), for members without JavaScript.
(function () {
  "use strict";
  var PREFIX = "komdir-draft:";
  var MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;
  var TEXT_TYPES = ["text", "search", "url", "tel", "email", "number", "date", "datetime-local", "time"];

  var store;
  try {
    store = window.localStorage;
    store.setItem(PREFIX + "probe", "1");
    store.removeItem(PREFIX + "probe");
  } catch (error) {
    return; // no storage (private mode, disabled): the server side still keeps posts
  }

  function read(key) {
    try {
      return JSON.parse(store.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function write(key, value) {
    try {
      store.setItem(key, JSON.stringify(value));
    } catch (error) {
      /* storage full: nothing to do */
    }
  }

  function draftKeys() {
    var keys = [];
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0) keys.push(key);
    }
    return keys;
  }

  // A sent form whose next page confirms it (a success message) needs its draft no more.
  var confirmed = document.querySelector(".komdir-messages .alert-success, .komdir-messages .alert-info");
  var now = Date.now();
  draftKeys().forEach(function (key) {
    var entry = read(key);
    if (!entry || now - (entry.saved || 0) > MAX_AGE_MS || (entry.sent && confirmed)) store.removeItem(key);
  });

  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.readOnly) return false;
      if (field.tagName === "TEXTAREA") return true;
      return field.tagName === "INPUT" && TEXT_TYPES.indexOf(field.type) !== -1;
    });
  }

  var template = document.getElementById("komdir-draft-notice");
  document.querySelectorAll("form[data-keep-draft]").forEach(function (form) {
    var key = PREFIX + window.location.pathname + "|" + (form.getAttribute("action") || window.location.pathname);
    var fields = keptFields(form);
    if (!fields.length) return;
    var original = {};
    fields.forEach(function (field) {
      original[field.name] = field.value;
    });

    function save(sent) {
      var values = {};
      var changed = false;
      fields.forEach(function (field) {
        values[field.name] = field.value;
        if (field.value !== original[field.name]) changed = true;
      });
      if (!changed) {
        store.removeItem(key);
        return;
      }
      write(key, { saved: Date.now(), sent: !!sent, fields: values });
    }

    var entry = read(key);
    if (entry && entry.fields) {
      var restored = false;
      fields.forEach(function (field) {
        var value = entry.fields[field.name];
        if (typeof value === "string" && value !== field.value && value.trim() !== "") {
          field.value = value;
          restored = true;
        }
      });
      if (restored && template) {
        var notice = template.content.firstElementChild.cloneNode(true);
        var time = notice.querySelector("[data-draft-time]");
        if (time) {
          time.textContent = new Date(entry.saved).toLocaleString("da-DK", {
            day: "numeric",
            month: "long",
            hour: "2-digit",
            minute: "2-digit",
          });
        }
        notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
          fields.forEach(function (field) {
            field.value = original[field.name];
          });
          store.removeItem(key);
          notice.remove();
          if (fields[0]) fields[0].focus();
        });
        form.parentNode.insertBefore(notice, form);
      }
      // Restored, or already on the form (sent, and shown again with an error): a draft
      // again until the member sends it.
      write(key, { saved: entry.saved, sent: false, fields: entry.fields });
    }

    var timer = null;
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 300);
    });
    form.addEventListener("submit", function () {
      window.clearTimeout(timer);
      save(true);
    });
  });
})();
