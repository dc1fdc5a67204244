// Ferry web UI: the Metrics tab. One page of groups at a time (cards with label badges, last
// push, TTL, last failure), expanded on demand to their families and values; filter, sort,
// paging, auto-refresh and the delete actions the viewer has the right to use.
"use strict";

(function (Ferry) {
  var el = Ferry.el;
  var $ = Ferry.$;

  var state = {
    selector: null,
    text: "",
    sort: "labels",
    limit: 100,
    cursors: [null],  // cursors[i] starts page i
    page: 0,
    next: null,
    loading: 0,  // sequence number of the newest load; older answers are dropped
    groups: {}  // id -> the group summary shown
  };

  // ---- what survives a refresh (and a reload of the page) ---------------------------------

  function stored(key, fallback) {
    try {
      var value = JSON.parse(sessionStorage.getItem("ferry." + key));
      return value === null ? fallback : value;
    } catch (e) {
      return fallback;
    }
  }

  function store(key, value) {
    try {
      sessionStorage.setItem("ferry." + key, JSON.stringify(value));
    } catch (e) { /* private mode: the state lives as long as the page */ }
  }

  var expanded = stored("expanded", []);  // group ids
  var folded = stored("folded", {});  // group id -> family names folded by the viewer

  function setExpanded(id, open) {
    var i = expanded.indexOf(id);
    if (open && i < 0) expanded.push(id);
    if (!open && i >= 0) expanded.splice(i, 1);
    // Bounded: a long session must not grow the storage without end.
    if (expanded.length > 500) expanded.splice(0, expanded.length - 500);
    store("expanded", expanded);
  }

  function setFolded(id, family, open) {
    var names = folded[id] || [];
    var i = names.indexOf(family);
    if (!open && i < 0) names.push(family);
    if (open && i >= 0) names.splice(i, 1);
    if (names.length) {
      folded[id] = names;
    } else {
      delete folded[id];
    }
    store("folded", folded);
  }

  // ---- rights ------------------------------------------------------------------------------

  function canDelete(labels) {
    var can = Ferry.rights && Ferry.rights.can;
    if (!can || !can.delete_group) return false;
    if (can.delete_group === true) return true;
    return (can.delete_jobs || []).some(function (p) { return Ferry.globMatch(p, labels.job || ""); });
  }

  function updateActionButtons() {
    var can = (Ferry.rights && Ferry.rights.can) || {};
    $("delete-matched").hidden = !(can.delete_selector &&
                                    state.selector);
    $("delete-all").hidden = !can.wipe;
  }

  // ---- one card per group ------------------------------------------------------------------

  function failureLine(group) {
    if (group.last_push_successful !== false) return null;
    var line = el("div", {class: "failure", role: "note"},
                  el("strong", null, "Last push failed"),
                  group.last_failure_unix ? [" ", Ferry.ageElement(group.last_failure_unix,
                                                                    group.last_failure)] : null);
    if (group.last_failure_reason) {
      line.appendChild(document.createTextNode(": "));
      line.appendChild(el("span", {class: "reason"}, group.last_failure_reason));
    }
    return line;
  }

  function ttlLine(group) {
    if (group.expired) {
      return el("span", {class: "pill expired", title: "past its deadline; hidden from scrapes"},
                "expired");
    }
    if (!group.deadline_unix) return null;
    return el("span", {class: "pill ttl", "data-deadline": group.deadline_unix,
                       title: "TTL " + Ferry.duration(group.ttl_seconds || 0) + ", deadline " +
                           Ferry.localTime(group.deadline_unix)},
              countdown(group.deadline_unix));
  }

  function countdown(deadline) {
    var left = deadline - Ferry.nowSeconds();
    return left > 0 ? "expires in " + Ferry.duration(left) : "expiring";
  }

  Ferry.tickers.push(function () {
    document.querySelectorAll("[data-deadline]").forEach(function (node) {
      node.textContent = countdown(Number(node.getAttribute("data-deadline")));
    });
  });

  function headerMeta(group) {
    var parts = [];
    if (group.last_push_unix) {
      parts.push(el("span", null, "pushed ", Ferry.ageElement(group.last_push_unix,
                                                              group.last_push)));
    } else {
      parts.push(el("span", {class: "muted"}, "no successful push"));
    }
    parts.push(ttlLine(group));
    var counts = [];
    if (typeof group.families === "number") {
      counts.push(Ferry.number(group.families) + (group.families === 1 ? " family" : " families"));
    }
    if (typeof group.series === "number") counts.push(Ferry.number(group.series) + " series");
    if (typeof group.bytes === "number") counts.push(Ferry.bytes(group.bytes));
    if (counts.length) parts.push(el("span", {class: "muted"}, counts.join(" · ")));
    return parts;
  }

  function deleteGroup(group) {
    var what = Ferry.labelText(group.labels);
    Ferry.confirm({
      title: "Delete group",
      body: el("p", null, "Delete every metric of the group ", el("code", null, what), "?"),
      action: function () {
        return Ferry.request("DELETE", Ferry.groupPath(group.labels)).then(function () {
          setExpanded(group.id, false);
          Ferry.notify("Deleted group " + what + ".");
          load();
        }, function (e) {
          throw new Error("Cannot delete: " + e.message);
        });
      }
    });
  }

  function buildCard(group) {
    var bodyId = "group-body-" + group.id;
    var toggle = el("button", {type: "button", class: "toggle", "aria-expanded": "false",
                               "aria-controls": bodyId},
                    el("span", {class: "caret", "aria-hidden": "true"}),
                    el("span", {class: "badges"}));
    var card = el("article", {class: "group", "data-id": group.id},
                  el("div", {class: "group-head"}, toggle,
                     el("div", {class: "group-meta"}),
                     el("div", {class: "group-actions"})),
                  el("div", {class: "group-fail"}),
                  el("div", {class: "group-body", id: bodyId, hidden: true}));
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      setExpanded(card.getAttribute("data-id"), open);
      showBody(card, open);
    });
    return card;
  }

  function updateCard(card, group) {
    var toggle = card.querySelector(".toggle");
    toggle.setAttribute("aria-label", "Group " + Ferry.labelText(group.labels) +
                        ": show or hide its metrics");
    Ferry.append(Ferry.clear(card.querySelector(".badges")), Ferry.labelBadges(group.labels));
    Ferry.append(Ferry.clear(card.querySelector(".group-meta")), headerMeta(group));
    Ferry.append(Ferry.clear(card.querySelector(".group-fail")), [failureLine(group)]);
    card.classList.toggle("failed", group.last_push_successful === false);
    card.classList.toggle("is-expired", !!group.expired);
    var actions = Ferry.clear(card.querySelector(".group-actions"));
    if (canDelete(group.labels)) {
      actions.appendChild(el("button", {type: "button", class: "danger small delete-group",
                                        "aria-label": "Delete group " +
                                            Ferry.labelText(group.labels),
                                        onclick: function () { deleteGroup(group); }},
                             "Delete group"));
    }
    var open = expanded.indexOf(group.id) >= 0;
    showBody(card, open);
  }

  function showBody(card, open) {
    var id = card.getAttribute("data-id");
    var body = card.querySelector(".group-body");
    card.querySelector(".toggle").setAttribute("aria-expanded", open ? "true" : "false");
    card.classList.toggle("open", open);
    body.hidden = !open;
    if (!open) {
      Ferry.clear(body);
      return;
    }
    if (!body.firstChild) body.appendChild(el("p", {class: "muted"}, "Loading…"));
    var group = state.groups[id];
    Ferry.groupApi.detail(group).then(function (detail) {
      if (body.hidden) return;
      var families = detail.metric_families || [];
      Ferry.append(Ferry.clear(body), [
        detail.last_failure_reason ? el("div", {class: "failure-detail"},
                                         el("h3", null, "Reason of the last failed push"),
                                         el("pre", null, detail.last_failure_reason)) : null,
        Ferry.renderFamilies(families, detail.labels, folded[id] || [], function (name, isOpen) {
          setFolded(id, name, isOpen);
        })
      ]);
    }, function (e) {
      Ferry.clear(body).appendChild(el("p", {class: "error"}, e.status === 404
          ? "This group no longer exists." : "Cannot load the group: " + e.message));
    });
  }

  function render(answer) {
    var list = $("groups");
    var old = {};
    Array.prototype.forEach.call(list.children, function (card) {
      old[card.getAttribute("data-id")] = card;
    });
    state.groups = {};
    var cards = answer.groups.map(function (group) {
      state.groups[group.id] = group;
      var card = old[group.id] || buildCard(group);
      delete old[group.id];
      updateCard(card, group);
      return card;
    });
    // Cards that stay keep their place in the DOM (and the keyboard focus inside them).
    Object.keys(old).forEach(function (id) { list.removeChild(old[id]); });
    cards.forEach(function (card, i) {
      if (list.children[i] !== card) list.insertBefore(card, list.children[i] || null);
    });
    if (answer.groups.length === 0) {
      list.appendChild(el("p", {class: "empty"},
                          state.selector || state.text ? "No group matches the filter."
                                                       : "No groups: nothing was pushed yet."));
    }
    var first = state.page * state.limit;
    var info = answer.groups.length ? "Groups " + Ferry.number(first + 1) + "–" +
        Ferry.number(first + answer.groups.length) : "No groups";
    if (typeof answer.total === "number") info += " · " + Ferry.number(answer.total) + " stored";
    $("summary").textContent = info;
    $("page-info").textContent = "Page " + (state.page + 1);
    $("prev").disabled = state.page === 0;
    $("next").disabled = !answer.next;
    $("pager").hidden = state.page === 0 && !answer.next;
    updateActionButtons();
  }

  function showError(message) {
    var box = $("filter-error");
    box.textContent = message;
    box.hidden = !message;
  }

  // Loads the current page again (refresh), or the page the cursors say after a change.
  function load() {
    var seq = ++state.loading;
    $("groups").setAttribute("aria-busy", "true");
    var params = {selector: state.selector, text: state.text, sort: state.sort,
                  limit: state.limit, cursor: state.cursors[state.page]};
    return Ferry.groupApi.list(params).then(function (answer) {
      if (seq !== state.loading) return;
      showError("");
      state.next = answer.next;
      render(answer);
    }, function (e) {
      if (seq !== state.loading) return;
      showError(e.message || String(e));
    }).then(function () {
      if (seq === state.loading) $("groups").removeAttribute("aria-busy");
    });
  }
  Ferry.loadGroups = load;

  function applyFilter() {
    var parts;
    try {
      parts = Ferry.splitFilter($("filter").value);
    } catch (e) {
      showError(e.message);
      return;
    }
    state.selector = parts.selector;
    state.text = parts.text;
    state.sort = $("sort").value;
    state.limit = Number($("page-size").value);
    state.cursors = [null];
    state.page = 0;
    store("filter", {text: $("filter").value, sort: state.sort, limit: state.limit});
    load();
  }

  // ---- actions on many groups --------------------------------------------------------------

  function groupList(groups) {
    var shown = groups.slice(0, 50);
    return el("ul", {class: "group-list"}, shown.map(function (g) {
      return el("li", null, el("code", null, Ferry.labelText(g.labels)));
    }), groups.length > shown.length
        ? el("li", {class: "muted"}, "… and " + (groups.length - shown.length) + " more") : null);
  }

  // Why a selector delete was refused, in words: 403 means nothing was deleted.
  function deleteRefusal(e) {
    if (e.status === 403) {
      return "Refused (403): a group this selector matches is outside your rights, so nothing " +
          "was deleted. " + e.message;
    }
    if (e.status === 404 || e.status === 405) {
      return "This server does not allow deleting by selector (HTTP " + e.status + "). " +
          e.message;
    }
    return e.message;
  }

  function deleteMatched() {
    var selector = state.selector;
    Ferry.groupApi.deleteMatched(selector, true).then(function (preview) {
      if (preview.count === 0) {
        Ferry.confirm({title: "Delete matching groups",
                       body: el("p", null, "No group matches ", el("code", null, selector), ".")});
        return;
      }
      Ferry.confirm({
        title: "Delete matching groups",
        confirmText: "Delete " + preview.count + " groups",
        body: [el("p", null, "These ", el("strong", null, String(preview.count)),
                  " groups match ", el("code", null, selector), " now and will be deleted:"),
               groupList(preview.groups || [])],
        action: function () {
          return Ferry.groupApi.deleteMatched(selector, false).then(function (done) {
            Ferry.notify("Deleted " + done.count + " groups matching " + selector + ".");
            load();
          }, function (e) {
            throw new Error(deleteRefusal(e));
          });
        }
      });
    }, function (e) {
      Ferry.confirm({title: "Delete matching groups",
                     body: el("p", {class: "error", role: "alert"}, deleteRefusal(e))});
    });
  }

  function deleteAll() {
    Ferry.confirm({
      title: "Delete all groups",
      confirmText: "Delete all groups",
      body: el("p", null, "Delete ", el("strong", null, "every group"),
               " stored, with all their metrics? This cannot be undone."),
      action: function () {
        return Ferry.request("PUT", "api/v1/admin/wipe", "").then(function () {
          Ferry.notify("Deleted all groups.");
          expanded = [];
          store("expanded", expanded);
          state.cursors = [null];
          state.page = 0;
          load();
        });
      }
    });
  }

  // ---- auto-refresh ------------------------------------------------------------------------

  var refreshTimer = null;

  function setAutoRefresh() {
    clearInterval(refreshTimer);
    refreshTimer = null;
    var on = $("auto-refresh").checked;
    var every = Number($("refresh-every").value);
    store("refresh", {on: on, every: every});
    if (!on) return;
    refreshTimer = setInterval(function () {
      // Not under an open dialog, nor for a tab nobody looks at.
      if (document.hidden || $("dialog").open || $("panel-metrics").hidden) return;
      load();
    }, every * 1000);
  }

  // ---- set-up ------------------------------------------------------------------------------

  Ferry.initMetrics = function () {
    var saved = stored("filter", null);
    if (saved) {
      $("filter").value = saved.text || "";
      $("sort").value = saved.sort || "labels";
      $("page-size").value = String(saved.limit || 100);
    }
    var refresh = stored("refresh", {on: false, every: 15});
    $("auto-refresh").checked = !!refresh.on;
    $("refresh-every").value = String(refresh.every);

    var typing = null;
    $("filter-form").addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(typing);
      applyFilter();
    });
    $("filter").addEventListener("input", function () {
      clearTimeout(typing);
      typing = setTimeout(applyFilter, 400);
    });
    $("sort").addEventListener("change", applyFilter);
    $("page-size").addEventListener("change", applyFilter);
    $("refresh").addEventListener("click", function () { load(); });
    $("auto-refresh").addEventListener("change", setAutoRefresh);
    $("refresh-every").addEventListener("change", setAutoRefresh);
    $("prev").addEventListener("click", function () {
      if (state.page === 0) return;
      state.page--;
      load();
    });
    $("next").addEventListener("click", function () {
      if (!state.next) return;
      state.cursors[state.page + 1] = state.next;
      state.page++;
      load();
    });
    $("delete-matched").addEventListener("click", deleteMatched);
    $("delete-all").addEventListener("click", deleteAll);
    setAutoRefresh();
    applyFilter();
  };
})(window.Ferry);
