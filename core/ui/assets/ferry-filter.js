// Ferry web UI: the filter box. It takes label matchers as Prometheus writes them,
// {job=~"ci-.*",env!="prod"}, free text, or both; the matchers go to the server as match[],
// the text as q. The parser here only splits the two and, for a server without the group API,
// matches in the browser.
"use strict";

(function (Ferry) {
  var MATCHER_LIST = /^\s*[A-Za-z_][A-Za-z0-9_]*\s*(=~|!~|!=|=)\s*("|'|`)/;

  // "{job="a"} db" -> {selector: '{job="a"}', text: "db"}; 'job="a"' -> {selector: '{job="a"}'}.
  // Throws an Error for an unclosed brace or quote.
  Ferry.splitFilter = function (input) {
    var text = input.trim();
    var start = text.indexOf("{");
    if (start < 0) {
      if (MATCHER_LIST.test(text)) return {selector: "{" + text + "}", text: ""};
      return {selector: null, text: text};
    }
    var quote = null;
    for (var i = start + 1; i < text.length; i++) {
      var c = text[i];
      if (quote) {
        if (c === "\\" && quote !== "`") {
          i++;
        } else if (c === quote) {
          quote = null;
        }
      } else if (c === '"' || c === "'" || c === "`") {
        quote = c;
      } else if (c === "}") {
        return {selector: text.slice(start, i + 1),
                text: (text.slice(0, start) + " " + text.slice(i + 1)).trim()};
      }
    }
    throw new Error(quote ? "unterminated quoted string in the filter"
                          : "the filter's { has no closing }");
  };

  function unquote(quoted) {
    var quote = quoted[0];
    var body = quoted.slice(1, -1);
    if (quote === "`") return body;
    if (quote === "'") body = body.replace(/\\'/g, "'").replace(/"/g, "\\\"");
    return JSON.parse('"' + body + '"');
  }

  // '{job="a",x=~"b.*"}' -> [{name: "job", op: "=", value: "a"}, ...]. Throws an Error.
  Ferry.parseSelector = function (selector) {
    var s = selector.trim();
    if (s[0] !== "{" || s[s.length - 1] !== "}") throw new Error("a selector is {name=\"value\", ...}");
    var rest = s.slice(1, -1);
    var token = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)\s*(,|$)/;
    var matchers = [];
    while (rest.trim() !== "") {
      var m = token.exec(rest);
      if (!m) throw new Error("cannot parse the matcher at \"" + rest.trim() + "\"");
      var value;
      try {
        value = unquote(m[3]);
      } catch (e) {
        throw new Error("bad escape in " + m[3]);
      }
      var matcher = {name: m[1], op: m[2], value: value};
      if (m[2] === "=~" || m[2] === "!~") {
        try {
          matcher.regexp = new RegExp("^(?:" + value + ")$");
        } catch (e) {
          throw new Error("bad regular expression " + JSON.stringify(value));
        }
      }
      matchers.push(matcher);
      rest = rest.slice(m[0].length);
    }
    if (matchers.length === 0) throw new Error("the selector {} has no matcher");
    return matchers;
  };

  // True when the labels satisfy every matcher (a missing label is the empty value).
  Ferry.matchesAll = function (matchers, labels) {
    return matchers.every(function (m) {
      var value = Object.prototype.hasOwnProperty.call(labels, m.name) ? labels[m.name] : "";
      switch (m.op) {
        case "=": return value === m.value;
        case "!=": return value !== m.value;
        case "=~": return m.regexp.test(value);
        default: return !m.regexp.test(value);
      }
    });
  };

  // Case-insensitive substring of any grouping label name or value, as the group API's q.
  Ferry.matchesText = function (text, labels) {
    if (!text) return true;
    var needle = text.toLowerCase();
    return Object.keys(labels).some(function (name) {
      return name.toLowerCase().indexOf(needle) >= 0 ||
          String(labels[name]).toLowerCase().indexOf(needle) >= 0;
    });
  };
})(window.Ferry);
