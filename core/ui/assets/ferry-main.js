// Ferry web UI: start-up, tabs and the Help tab's URLs.
"use strict";

(function (Ferry) {
  var $ = Ferry.$;
  var TABS = ["metrics", "status", "help"];

  // The tab a URL asks for: "#status", "#help", "#metrics"; the Pushgateway's /status path
  // opens the Status tab.
  function tabFromLocation() {
    var hash = location.hash.replace(/^#/, "");
    if (TABS.indexOf(hash) >= 0) return hash;
    return /\/status$/.test(location.pathname) ? "status" : "metrics";
  }

  function showTab(name, focus) {
    TABS.forEach(function (tab) {
      var selected = tab === name;
      var link = $("tab-" + tab);
      link.setAttribute("aria-selected", selected ? "true" : "false");
      link.setAttribute("tabindex", selected ? "0" : "-1");
      $("panel-" + tab).hidden = !selected;
    });
    if (focus) $("tab-" + name).focus();
    document.title = "Ferry · " + name[0].toUpperCase() + name.slice(1);
    if (name === "status") Ferry.loadStatus();
    if (name === "metrics" && Ferry.metricsStarted) Ferry.loadGroups();
  }

  function initTabs() {
    TABS.forEach(function (tab, i) {
      var link = $("tab-" + tab);
      link.addEventListener("click", function (event) {
        event.preventDefault();
        history.replaceState(null, "", "#" + tab);
        showTab(tab, false);
      });
      // Arrow keys move between tabs, as the WAI-ARIA tabs pattern has it.
      link.addEventListener("keydown", function (event) {
        var step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
        if (!step) return;
        event.preventDefault();
        var next = TABS[(i + step + TABS.length) % TABS.length];
        history.replaceState(null, "", "#" + next);
        showTab(next, true);
      });
    });
    window.addEventListener("hashchange", function () { showTab(tabFromLocation(), false); });
  }

  // The URL the server is reached at: --web.external-url when set, else this page's directory.
  function baseUrl(flags) {
    var external = flags && flags["web.external-url"];
    var base = external ? new URL(external, location.href) : new URL(".", location.href);
    if (!/\/$/.test(base.pathname)) base.pathname += "/";
    base.hash = "";
    base.search = "";
    return base;
  }

  function fillHelp(flags) {
    var base = baseUrl(flags);
    var telemetry = (flags && flags["web.telemetry-path"]) || "/metrics";
    var values = {
      "base-url": base.href,
      "push-url": base.href + "metrics/job/",
      "host-port": base.host,
      "scheme": base.protocol.replace(":", ""),
      "metrics-path": base.pathname.replace(/\/$/, "") + telemetry,
      "api-url": base.href + "api/v1/"
    };
    document.querySelectorAll("[data-fill]").forEach(function (node) {
      var value = values[node.getAttribute("data-fill")];
      if (value !== undefined) node.textContent = value;
    });
    document.querySelectorAll("a[data-href]").forEach(function (link) {
      link.href = new URL(link.getAttribute("data-href"), base).href;
    });
  }

  function showViewer(rights) {
    var viewer = $("viewer");
    if (rights && rights.identity) {
      viewer.textContent = rights.identity;
      viewer.title = "You are " + rights.identity;
      viewer.hidden = false;
    }
  }

  Ferry.start = function () {
    initTabs();
    fillHelp(null);
    setInterval(Ferry.tick, 1000);
    // Rights first: no button is drawn that the viewer could not use.
    Ferry.getData("api/v1/rights").then(function (rights) {
      Ferry.rights = rights;
    }, function (e) {
      Ferry.rights = {can: {}};
      Ferry.notify("Cannot read your rights (" + e.message + "); actions are hidden.", true);
    }).then(function () {
      showViewer(Ferry.rights);
      Ferry.initMetrics();
      showTab(tabFromLocation(), false);
      Ferry.metricsStarted = true;  // from now on, coming back to the tab reloads it
    });
    Ferry.getData("api/v1/status").then(function (status) { fillHelp(status.flags); },
                                         function () { /* the page's own URL is used */ });
  };

  document.addEventListener("DOMContentLoaded", Ferry.start);
})(window.Ferry);
