// Ferry web UI: shared helpers. Every URL is relative to the page, so the UI works under any
// --web.route-prefix or --web.external-url. Text from the server only ever reaches the page
// through text nodes and attribute values (el() below), never through innerHTML.
"use strict";

var Ferry = window.Ferry || {};
window.Ferry = Ferry;

// el("td", {class: "x", title: t}, child, "text", [more]) builds an element; strings become
// text nodes, null/undefined/false children are skipped, arrays are flattened. "on<event>"
// attributes take functions; "hidden", "disabled" and "checked" take booleans.
Ferry.el = function (tag, attrs) {
  var node = document.createElement(tag);
  if (attrs) {
    Object.keys(attrs).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name.slice(0, 2) === "on" && typeof value === "function") {
        node.addEventListener(name.slice(2), value);
      } else if (name === "hidden" || name === "disabled" || name === "checked") {
        node[name] = !!value;
      } else {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    });
  }
  Ferry.append(node, Array.prototype.slice.call(arguments, 2));
  return node;
};

Ferry.append = function (node, children) {
  children.forEach(function (child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) {
      Ferry.append(node, child);
    } else if (child instanceof Node) {
      node.appendChild(child);
    } else {
      node.appendChild(document.createTextNode(String(child)));
    }
  });
  return node;
};

Ferry.clear = function (node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
};

Ferry.$ = function (id) {
  return document.getElementById(id);
};

// ---- the server --------------------------------------------------------------------------

// Difference between the server's clock and ours (server - browser), in seconds, from the Date
// header of API answers: ages and countdowns stay right when the browser's clock is off.
Ferry.clockSkew = 0;

Ferry.ApiError = function (status, message) {
  this.status = status;
  this.message = message;
};

// fetch() with the answer's body read: JSON for /api/v1 answers, text otherwise. Rejects with
// Ferry.ApiError(status, message) on an HTTP error or a network failure.
Ferry.request = function (method, url, body) {
  var init = {method: method, headers: {Accept: "application/json"}, credentials: "same-origin",
              cache: "no-store"};
  if (body !== undefined) init.body = body;
  return fetch(url, init).then(
    function (response) {
      var date = response.headers.get("Date");
      if (date) {
        var server = Date.parse(date);
        if (!isNaN(server)) Ferry.clockSkew = (server - Date.now()) / 1000;
      }
      return response.text().then(function (text) {
        var json = null;
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === 0) {
          try { json = JSON.parse(text); } catch (e) { json = null; }
        }
        if (!response.ok) {
          var message = json && json.error ? json.error : text.trim() || response.statusText;
          throw new Ferry.ApiError(response.status, message);
        }
        return json !== null ? json : text;
      });
    },
    function (error) {
      throw new Ferry.ApiError(0, "cannot reach the server: " + error.message);
    });
};

// GET of an /api/v1 endpoint; resolves to its "data".
Ferry.getData = function (url) {
  return Ferry.request("GET", url).then(function (answer) {
    if (!answer || answer.status !== "success") {
      throw new Ferry.ApiError(0, "unexpected answer from " + url);
    }
    return answer.data;
  });
};

Ferry.nowSeconds = function () {
  return Date.now() / 1000 + Ferry.clockSkew;
};

// ---- encodings ---------------------------------------------------------------------------

function bytesToBase64Url(bytes) {
  var binary = "";
  for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_");
}

// base64url (RFC 4648 §5) of the UTF-8 bytes, with padding: "" becomes "=", which the
// Pushgateway protocol reads as the empty value.
Ferry.base64Url = function (text) {
  var encoded = bytesToBase64Url(new TextEncoder().encode(text));
  return encoded === "" ? "=" : encoded;
};

// The delete URL of a group: every part base64-encoded, so empty values and values with '/'
// work (the Pushgateway's own page does the same).
Ferry.groupPath = function (labels) {
  var path = "metrics/job@base64/" + encodeURIComponent(Ferry.base64Url(labels.job || ""));
  Object.keys(labels).sort().forEach(function (name) {
    if (name === "job") return;
    path += "/" + encodeURIComponent(name + "@base64") + "/" +
        encodeURIComponent(Ferry.base64Url(labels[name]));
  });
  return path;
};

// Shell-style glob as the server's rights use it: '*' any run, '?' one character.
Ferry.globMatch = function (pattern, text) {
  var source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[\\s\\S]*")
      .replace(/\?/g, "[\\s\\S]");
  return new RegExp("^" + source + "$").test(text);
};

// ---- formatting --------------------------------------------------------------------------

Ferry.labelText = function (labels) {
  return "{" + Object.keys(labels).sort().map(function (name) {
    return name + "=" + JSON.stringify(labels[name]);
  }).join(", ") + "}";
};

// A badge per label: job and instance in their own colours, every other name in one of a few
// colours picked by the name, so the same name has the same colour on every card.
Ferry.labelBadge = function (name, value) {
  var kind = name === "job" ? "job" : name === "instance" ? "instance" : "other";
  var hue = "";
  if (kind === "other") {
    var h = 0;
    for (var i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) % 4;
    hue = " hue" + h;
  }
  return Ferry.el("span", {class: "badge " + kind + hue},
                  Ferry.el("span", {class: "badge-name"}, name), "=",
                  Ferry.el("span", {class: "badge-value"}, JSON.stringify(value)));
};

Ferry.labelBadges = function (labels, skip) {
  return Object.keys(labels).sort().filter(function (name) {
    return !skip || skip.indexOf(name) < 0;
  }).map(function (name) { return Ferry.labelBadge(name, labels[name]); });
};

// 75 -> "1 min 15 s", 7300 -> "2 h 1 min".
Ferry.duration = function (seconds) {
  seconds = Math.max(0, Math.round(seconds));
  var units = [["d", 86400], ["h", 3600], ["min", 60], ["s", 1]];
  var parts = [];
  for (var i = 0; i < units.length && parts.length < 2; i++) {
    var n = Math.floor(seconds / units[i][1]);
    if (n > 0 || (parts.length > 0)) {
      if (n > 0) parts.push(n + " " + units[i][0]);
      seconds -= n * units[i][1];
    }
  }
  return parts.length ? parts.join(" ") : "0 s";
};

Ferry.age = function (unix) {
  var seconds = Ferry.nowSeconds() - unix;
  if (seconds < 1) return "just now";
  return Ferry.duration(seconds) + " ago";
};

// Local time with the zone, e.g. "2026-12-05 11:00:00 GMT+1".
Ferry.localTime = function (unix) {
  var d = new Date(unix * 1000);
  function two(n) { return (n < 10 ? "0" : "") + n; }
  var offset = -d.getTimezoneOffset();
  var zone = "UTC" + (offset === 0 ? "" : (offset > 0 ? "+" : "-") +
      two(Math.floor(Math.abs(offset) / 60)) + (Math.abs(offset) % 60 ? ":" +
      two(Math.abs(offset) % 60) : ""));
  return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " +
      two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds()) + " " + zone;
};

// A <time> whose text is kept up to date by Ferry.tick(): "3 min ago".
Ferry.ageElement = function (unix, rfc3339) {
  return Ferry.el("time", {datetime: rfc3339 || new Date(unix * 1000).toISOString(),
                           title: Ferry.localTime(unix), "data-age": unix},
                  Ferry.age(unix));
};

Ferry.number = function (n) {
  return typeof n === "number" ? n.toLocaleString("en-US") : String(n);
};

Ferry.bytes = function (n) {
  if (typeof n !== "number") return String(n);
  var units = ["B", "KiB", "MiB", "GiB", "TiB"];
  var i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return (i === 0 ? n : n.toFixed(1)) + " " + units[i];
};

// Updates every live age and countdown once a second.
Ferry.tickers = [];
Ferry.tick = function () {
  document.querySelectorAll("[data-age]").forEach(function (node) {
    node.textContent = Ferry.age(Number(node.getAttribute("data-age")));
  });
  Ferry.tickers.forEach(function (fn) { fn(); });
};

// ---- small UI pieces ---------------------------------------------------------------------

// A message in the live region at the top of the page.
Ferry.notify = function (text, isError) {
  var box = Ferry.$("notice");
  Ferry.clear(box);
  box.className = "notice" + (isError ? " error" : "");
  box.appendChild(document.createTextNode(text));
  box.hidden = false;
  clearTimeout(Ferry.notify.timer);
  Ferry.notify.timer = setTimeout(function () { box.hidden = true; }, isError ? 15000 : 6000);
};

// Asks in the modal dialog. `body` is a node or text; `action` returns a promise; the dialog
// stays open with the error when it rejects. Resolves when the dialog closes.
Ferry.confirm = function (options) {
  var dialog = Ferry.$("dialog");
  Ferry.clear(Ferry.$("dialog-title")).appendChild(document.createTextNode(options.title));
  Ferry.append(Ferry.clear(Ferry.$("dialog-body")), [options.body]);
  var error = Ferry.$("dialog-error");
  error.hidden = true;
  var ok = Ferry.$("dialog-ok");
  var cancel = Ferry.$("dialog-cancel");
  ok.textContent = options.confirmText || "Delete";
  ok.hidden = !options.action;
  ok.disabled = false;
  cancel.textContent = options.action ? "Cancel" : "Close";
  return new Promise(function (resolve) {
    function done() {
      ok.onclick = null;
      dialog.removeEventListener("close", done);
      resolve();
    }
    dialog.addEventListener("close", done);
    cancel.onclick = function () { dialog.close(); };
    ok.onclick = function () {
      ok.disabled = true;
      options.action().then(function () {
        dialog.close();
      }, function (e) {
        ok.disabled = false;
        error.textContent = e && e.message ? e.message : String(e);
        error.hidden = false;
      });
    };
    dialog.showModal();
    cancel.focus();  // the safe default for Enter
  });
};
