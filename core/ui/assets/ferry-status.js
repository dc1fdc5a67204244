// Ferry web UI: the Status tab, from /api/v1/status (the Pushgateway's: build information,
// flags, start time) and /api/v1/runtime (Ferry's: plugins, storage health, store figures,
// counters). Secrets never reach this page: the server leaves them out.
"use strict";

(function (Ferry) {
  var el = Ferry.el;

  function table(caption, rows) {
    return el("table", {class: "kv"},
              el("caption", null, caption),
              el("tbody", null, rows.filter(Boolean).map(function (row) {
                return el("tr", null, el("th", {scope: "row"}, row[0]), el("td", null, row[1]));
              })));
  }

  function time(text, unix) {
    if (!unix) return el("span", {class: "muted"}, "never");
    return [Ferry.localTime(unix), " (", Ferry.ageElement(unix, text), ")"];
  }

  function code(value) {
    return el("code", null, value);
  }

  function storageRows(storage) {
    var rows = [["Backend", code(storage.plugin || "none")]];
    var config = storage.config && Object.keys(storage.config).length
        ? code(JSON.stringify(storage.config)) : el("span", {class: "muted"}, "defaults");
    rows.push(["Config", config]);
    if (storage.writes === null || storage.writes === undefined) {
      rows.push(["Writes", el("span", {class: "muted"},
                             "none: this backend persists nothing")]);
      return rows;
    }
    rows.push(["Health", storage.healthy
        ? el("span", {class: "pill ok"}, "OK")
        : el("span", {class: "pill bad"}, "failing")]);
    rows.push(["Successful writes", Ferry.number(storage.writes)]);
    rows.push(["Last successful write", time(storage.last_success, storage.last_success_unix)]);
    rows.push(["Failed writes", Ferry.number(storage.failures)]);
    if (storage.failures) {
      rows.push(["Last failure", time(storage.last_failure, storage.last_failure_unix)]);
      rows.push(["Last error", el("span", {class: "reason"}, storage.last_error || "")]);
    }
    return rows;
  }

  function pluginsTable(plugins) {
    return el("table", {class: "grid"},
              el("caption", null, "Loaded plugins"),
              el("thead", null, el("tr", null, ["Kind", "Name", "Version", "ABI", "File"].map(
                  function (h) { return el("th", {scope: "col"}, h); }))),
              el("tbody", null, plugins.map(function (p) {
                return el("tr", null, el("td", null, p.kind), el("td", null, code(p.name)),
                          el("td", null, p.version), el("td", null, p.abi),
                          el("td", {class: "path", title: p.description}, p.file));
              })));
  }

  function metricsTable(metrics, rejected) {
    var rows = [["Pushes rejected (4xx/5xx answers)", Ferry.number(rejected)]];
    metrics.forEach(function (m) {
      var labels = Object.keys(m.labels).map(function (k) {
        return k + "=\"" + m.labels[k] + "\"";  // as the exposition writes it
      });
      var name = m.name + (labels.length ? "{" + labels.join(",") + "}" : "");
      var value = /bytes$/.test(m.name) ? Ferry.bytes(m.value) : Ferry.number(m.value);
      rows.push([el("span", {title: m.help}, code(name)), value]);
    });
    return table("Counters and process", rows);
  }

  function flagsTable(flags) {
    return el("table", {class: "kv flags"},
              el("caption", null, "Flags (effective values: command line, config file or default)"),
              el("tbody", null, Object.keys(flags).sort().map(function (name) {
                return el("tr", null, el("th", {scope: "row"}, code("--" + name)),
                          el("td", null, flags[name] === "" ? el("span", {class: "muted"}, "(empty)")
                                                            : flags[name]));
              })));
  }

  function render(status, runtime) {
    var b = runtime.build;
    var auth = runtime.auth || {};
    var sections = [
      table("Build", [
        ["Version", b.version], ["Revision", b.revision], ["Branch", b.branch],
        ["Build date", b.build_date], ["Build user", b.build_user], ["Compiler", b.compiler],
        ["Platform", b.platform]
      ]),
      table("Runtime", [
        ["Started", time(runtime.start_time, runtime.start_time_unix)],
        ["Uptime", el("span", {id: "uptime", "data-start": runtime.start_time_unix},
                      Ferry.duration(runtime.uptime_seconds))],
        ["Config file", runtime.config_file ? code(runtime.config_file)
                                            : el("span", {class: "muted"}, "none (flags only)")],
        ["Input formats", runtime.inputs.join(", ")],
        ["Auth", auth.enabled ? "rights per identity (" + (auth.plugins || []).join(", ") +
                                    "; " + auth.identities + " identities)"
                              : "off (as the Pushgateway: the web config's basic auth, if any)"]
      ]),
      table("Store", [
        ["Groups", Ferry.number(runtime.store.groups)],
        ["Series", Ferry.number(runtime.store.series)],
        typeof runtime.store.bytes === "number" ? ["Approximate size",
                                                   Ferry.bytes(runtime.store.bytes)] : null
      ]),
      table("Storage", storageRows(runtime.storage)),
      pluginsTable(runtime.plugins),
      metricsTable(runtime.metrics, runtime.pushes_rejected),
      flagsTable(status.flags)
    ];
    Ferry.append(Ferry.clear(Ferry.$("status-content")), sections);
  }

  Ferry.tickers.push(function () {
    var uptime = Ferry.$("uptime");
    if (uptime) {
      uptime.textContent = Ferry.duration(Ferry.nowSeconds() -
                                          Number(uptime.getAttribute("data-start")));
    }
  });

  Ferry.loadStatus = function () {
    var box = Ferry.$("status-content");
    box.setAttribute("aria-busy", "true");
    return Promise.all([Ferry.getData("api/v1/status"), Ferry.getData("api/v1/runtime")])
        .then(function (answers) {
          Ferry.status = answers[0];
          render(answers[0], answers[1]);
        }, function (e) {
          Ferry.clear(box).appendChild(el("p", {class: "error"},
                                          "Cannot load the status: " + e.message));
        }).then(function () { box.removeAttribute("aria-busy"); });
  };
})(window.Ferry);
