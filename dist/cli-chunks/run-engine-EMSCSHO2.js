#!/usr/bin/env node
import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);
import {
  commitOf,
  permalink,
  uncommitted
} from "./chunk-U2MOCSZG.js";
import {
  publish
} from "./chunk-23L6LWKB.js";
import {
  archived,
  loadRegistry,
  pointers,
  productionMoves
} from "./chunk-SZQJWHUG.js";
import {
  caseKindOf,
  hasChangedCases
} from "./chunk-LYKUXWWT.js";
import {
  writeHtmlReport
} from "./chunk-V2S3MGKS.js";
import {
  codeBlock,
  escapeText,
  inlineCode
} from "./chunk-4R4NI73O.js";
import {
  baselinePath,
  costOf,
  readBaseline,
  toBaseline
} from "./chunk-ZXR3WRZC.js";
import {
  mean,
  pairedTest,
  seedFrom
} from "./chunk-K65MBIX3.js";
import {
  DEFAULT_CONFIG_PATH,
  DatasetMemo,
  GitTree,
  PromptTemplates,
  SpilledText,
  WorkTree,
  buildArtifact,
  loadProject,
  renderMessages,
  renderMetricValue
} from "./chunk-KTLWAHZQ.js";
import {
  ArchiveSource,
  archivePath,
  require_semver,
  toArchive,
  writeArchive,
  writeFileAtomic
} from "./chunk-5VU3X7DI.js";
import {
  canonicalJson,
  createScorer,
  stableHash
} from "./chunk-OVNAAY32.js";
import {
  EXIT,
  UsageError,
  numberSetting
} from "./chunk-ML3A3EN2.js";
import {
  count,
  duration,
  interval,
  pct,
  plural,
  pp,
  usd
} from "./chunk-PLTLF5OP.js";
import {
  TOOL_VERSION
} from "./chunk-DT6VQ6HQ.js";
import {
  require_picomatch
} from "./chunk-POSGZES7.js";
import {
  SETTINGS
} from "./chunk-6OL4Y65D.js";
import {
  changeSince,
  ensureCommit
} from "./chunk-KWMG6SEG.js";
import {
  casesInShard,
  mergedSamples,
  parseShard
} from "./chunk-YCV4MGKE.js";
import {
  UserError,
  formatLocation
} from "./chunk-6PYOTW3E.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-I573FD7B.js";

// node_modules/ms/index.js
var require_ms = __commonJS({
  "node_modules/ms/index.js"(exports, module) {
    var s = 1e3;
    var m = s * 60;
    var h = m * 60;
    var d = h * 24;
    var w = d * 7;
    var y = d * 365.25;
    module.exports = function(val, options) {
      options = options || {};
      var type = typeof val;
      if (type === "string" && val.length > 0) {
        return parse(val);
      } else if (type === "number" && isFinite(val)) {
        return options.long ? fmtLong(val) : fmtShort(val);
      }
      throw new Error(
        "val is not a non-empty string or a valid number. val=" + JSON.stringify(val)
      );
    };
    function parse(str) {
      str = String(str);
      if (str.length > 100) {
        return;
      }
      var match = /^(-?(?:\d+)?\.?\d+) *(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)?$/i.exec(
        str
      );
      if (!match) {
        return;
      }
      var n = parseFloat(match[1]);
      var type = (match[2] || "ms").toLowerCase();
      switch (type) {
        case "years":
        case "year":
        case "yrs":
        case "yr":
        case "y":
          return n * y;
        case "weeks":
        case "week":
        case "w":
          return n * w;
        case "days":
        case "day":
        case "d":
          return n * d;
        case "hours":
        case "hour":
        case "hrs":
        case "hr":
        case "h":
          return n * h;
        case "minutes":
        case "minute":
        case "mins":
        case "min":
        case "m":
          return n * m;
        case "seconds":
        case "second":
        case "secs":
        case "sec":
        case "s":
          return n * s;
        case "milliseconds":
        case "millisecond":
        case "msecs":
        case "msec":
        case "ms":
          return n;
        default:
          return void 0;
      }
    }
    function fmtShort(ms) {
      var msAbs = Math.abs(ms);
      if (msAbs >= d) {
        return Math.round(ms / d) + "d";
      }
      if (msAbs >= h) {
        return Math.round(ms / h) + "h";
      }
      if (msAbs >= m) {
        return Math.round(ms / m) + "m";
      }
      if (msAbs >= s) {
        return Math.round(ms / s) + "s";
      }
      return ms + "ms";
    }
    function fmtLong(ms) {
      var msAbs = Math.abs(ms);
      if (msAbs >= d) {
        return plural2(ms, msAbs, d, "day");
      }
      if (msAbs >= h) {
        return plural2(ms, msAbs, h, "hour");
      }
      if (msAbs >= m) {
        return plural2(ms, msAbs, m, "minute");
      }
      if (msAbs >= s) {
        return plural2(ms, msAbs, s, "second");
      }
      return ms + " ms";
    }
    function plural2(ms, msAbs, n, name) {
      var isPlural = msAbs >= n * 1.5;
      return Math.round(ms / n) + " " + name + (isPlural ? "s" : "");
    }
  }
});

// node_modules/debug/src/common.js
var require_common = __commonJS({
  "node_modules/debug/src/common.js"(exports, module) {
    function setup(env) {
      createDebug3.debug = createDebug3;
      createDebug3.default = createDebug3;
      createDebug3.coerce = coerce;
      createDebug3.disable = disable;
      createDebug3.enable = enable;
      createDebug3.enabled = enabled;
      createDebug3.humanize = require_ms();
      createDebug3.destroy = destroy;
      Object.keys(env).forEach((key) => {
        createDebug3[key] = env[key];
      });
      createDebug3.names = [];
      createDebug3.skips = [];
      createDebug3.formatters = {};
      function selectColor(namespace) {
        let hash = 0;
        for (let i = 0; i < namespace.length; i++) {
          hash = (hash << 5) - hash + namespace.charCodeAt(i);
          hash |= 0;
        }
        return createDebug3.colors[Math.abs(hash) % createDebug3.colors.length];
      }
      createDebug3.selectColor = selectColor;
      function createDebug3(namespace) {
        let prevTime;
        let enableOverride = null;
        let namespacesCache;
        let enabledCache;
        function debug3(...args) {
          if (!debug3.enabled) {
            return;
          }
          const self = debug3;
          const curr = Number(/* @__PURE__ */ new Date());
          const ms = curr - (prevTime || curr);
          self.diff = ms;
          self.prev = prevTime;
          self.curr = curr;
          prevTime = curr;
          args[0] = createDebug3.coerce(args[0]);
          if (typeof args[0] !== "string") {
            args.unshift("%O");
          }
          let index = 0;
          args[0] = args[0].replace(/%([a-zA-Z%])/g, (match, format) => {
            if (match === "%%") {
              return "%";
            }
            index++;
            const formatter = createDebug3.formatters[format];
            if (typeof formatter === "function") {
              const val = args[index];
              match = formatter.call(self, val);
              args.splice(index, 1);
              index--;
            }
            return match;
          });
          createDebug3.formatArgs.call(self, args);
          const logFn = self.log || createDebug3.log;
          logFn.apply(self, args);
        }
        debug3.namespace = namespace;
        debug3.useColors = createDebug3.useColors();
        debug3.color = createDebug3.selectColor(namespace);
        debug3.extend = extend;
        debug3.destroy = createDebug3.destroy;
        Object.defineProperty(debug3, "enabled", {
          enumerable: true,
          configurable: false,
          get: () => {
            if (enableOverride !== null) {
              return enableOverride;
            }
            if (namespacesCache !== createDebug3.namespaces) {
              namespacesCache = createDebug3.namespaces;
              enabledCache = createDebug3.enabled(namespace);
            }
            return enabledCache;
          },
          set: (v) => {
            enableOverride = v;
          }
        });
        if (typeof createDebug3.init === "function") {
          createDebug3.init(debug3);
        }
        return debug3;
      }
      function extend(namespace, delimiter) {
        const newDebug = createDebug3(this.namespace + (typeof delimiter === "undefined" ? ":" : delimiter) + namespace);
        newDebug.log = this.log;
        return newDebug;
      }
      function enable(namespaces) {
        createDebug3.save(namespaces);
        createDebug3.namespaces = namespaces;
        createDebug3.names = [];
        createDebug3.skips = [];
        const split = (typeof namespaces === "string" ? namespaces : "").trim().replace(/\s+/g, ",").split(",").filter(Boolean);
        for (const ns of split) {
          if (ns[0] === "-") {
            createDebug3.skips.push(ns.slice(1));
          } else {
            createDebug3.names.push(ns);
          }
        }
      }
      function matchesTemplate(search, template) {
        let searchIndex = 0;
        let templateIndex = 0;
        let starIndex = -1;
        let matchIndex = 0;
        while (searchIndex < search.length) {
          if (templateIndex < template.length && (template[templateIndex] === search[searchIndex] || template[templateIndex] === "*")) {
            if (template[templateIndex] === "*") {
              starIndex = templateIndex;
              matchIndex = searchIndex;
              templateIndex++;
            } else {
              searchIndex++;
              templateIndex++;
            }
          } else if (starIndex !== -1) {
            templateIndex = starIndex + 1;
            matchIndex++;
            searchIndex = matchIndex;
          } else {
            return false;
          }
        }
        while (templateIndex < template.length && template[templateIndex] === "*") {
          templateIndex++;
        }
        return templateIndex === template.length;
      }
      function disable() {
        const namespaces = [
          ...createDebug3.names,
          ...createDebug3.skips.map((namespace) => "-" + namespace)
        ].join(",");
        createDebug3.enable("");
        return namespaces;
      }
      function enabled(name) {
        for (const skip of createDebug3.skips) {
          if (matchesTemplate(name, skip)) {
            return false;
          }
        }
        for (const ns of createDebug3.names) {
          if (matchesTemplate(name, ns)) {
            return true;
          }
        }
        return false;
      }
      function coerce(val) {
        if (val instanceof Error) {
          return val.stack || val.message;
        }
        return val;
      }
      function destroy() {
        console.warn("Instance method `debug.destroy()` is deprecated and no longer does anything. It will be removed in the next major version of `debug`.");
      }
      createDebug3.enable(createDebug3.load());
      return createDebug3;
    }
    module.exports = setup;
  }
});

// node_modules/debug/src/browser.js
var require_browser = __commonJS({
  "node_modules/debug/src/browser.js"(exports, module) {
    exports.formatArgs = formatArgs;
    exports.save = save;
    exports.load = load2;
    exports.useColors = useColors;
    exports.storage = localstorage();
    exports.destroy = /* @__PURE__ */ (() => {
      let warned = false;
      return () => {
        if (!warned) {
          warned = true;
          console.warn("Instance method `debug.destroy()` is deprecated and no longer does anything. It will be removed in the next major version of `debug`.");
        }
      };
    })();
    exports.colors = [
      "#0000CC",
      "#0000FF",
      "#0033CC",
      "#0033FF",
      "#0066CC",
      "#0066FF",
      "#0099CC",
      "#0099FF",
      "#00CC00",
      "#00CC33",
      "#00CC66",
      "#00CC99",
      "#00CCCC",
      "#00CCFF",
      "#3300CC",
      "#3300FF",
      "#3333CC",
      "#3333FF",
      "#3366CC",
      "#3366FF",
      "#3399CC",
      "#3399FF",
      "#33CC00",
      "#33CC33",
      "#33CC66",
      "#33CC99",
      "#33CCCC",
      "#33CCFF",
      "#6600CC",
      "#6600FF",
      "#6633CC",
      "#6633FF",
      "#66CC00",
      "#66CC33",
      "#9900CC",
      "#9900FF",
      "#9933CC",
      "#9933FF",
      "#99CC00",
      "#99CC33",
      "#CC0000",
      "#CC0033",
      "#CC0066",
      "#CC0099",
      "#CC00CC",
      "#CC00FF",
      "#CC3300",
      "#CC3333",
      "#CC3366",
      "#CC3399",
      "#CC33CC",
      "#CC33FF",
      "#CC6600",
      "#CC6633",
      "#CC9900",
      "#CC9933",
      "#CCCC00",
      "#CCCC33",
      "#FF0000",
      "#FF0033",
      "#FF0066",
      "#FF0099",
      "#FF00CC",
      "#FF00FF",
      "#FF3300",
      "#FF3333",
      "#FF3366",
      "#FF3399",
      "#FF33CC",
      "#FF33FF",
      "#FF6600",
      "#FF6633",
      "#FF9900",
      "#FF9933",
      "#FFCC00",
      "#FFCC33"
    ];
    function useColors() {
      if (typeof window !== "undefined" && window.process && (window.process.type === "renderer" || window.process.__nwjs)) {
        return true;
      }
      if (typeof navigator !== "undefined" && navigator.userAgent && navigator.userAgent.toLowerCase().match(/(edge|trident)\/(\d+)/)) {
        return false;
      }
      let m;
      return typeof document !== "undefined" && document.documentElement && document.documentElement.style && document.documentElement.style.WebkitAppearance || // Is firebug? http://stackoverflow.com/a/398120/376773
      typeof window !== "undefined" && window.console && (window.console.firebug || window.console.exception && window.console.table) || // Is firefox >= v31?
      // https://developer.mozilla.org/en-US/docs/Tools/Web_Console#Styling_messages
      typeof navigator !== "undefined" && navigator.userAgent && (m = navigator.userAgent.toLowerCase().match(/firefox\/(\d+)/)) && parseInt(m[1], 10) >= 31 || // Double check webkit in userAgent just in case we are in a worker
      typeof navigator !== "undefined" && navigator.userAgent && navigator.userAgent.toLowerCase().match(/applewebkit\/(\d+)/);
    }
    function formatArgs(args) {
      args[0] = (this.useColors ? "%c" : "") + this.namespace + (this.useColors ? " %c" : " ") + args[0] + (this.useColors ? "%c " : " ") + "+" + module.exports.humanize(this.diff);
      if (!this.useColors) {
        return;
      }
      const c = "color: " + this.color;
      args.splice(1, 0, c, "color: inherit");
      let index = 0;
      let lastC = 0;
      args[0].replace(/%[a-zA-Z%]/g, (match) => {
        if (match === "%%") {
          return;
        }
        index++;
        if (match === "%c") {
          lastC = index;
        }
      });
      args.splice(lastC, 0, c);
    }
    exports.log = console.debug || console.log || (() => {
    });
    function save(namespaces) {
      try {
        if (namespaces) {
          exports.storage.setItem("debug", namespaces);
        } else {
          exports.storage.removeItem("debug");
        }
      } catch (error) {
      }
    }
    function load2() {
      let r;
      try {
        r = exports.storage.getItem("debug") || exports.storage.getItem("DEBUG");
      } catch (error) {
      }
      if (!r && typeof process !== "undefined" && "env" in process) {
        r = process.env.DEBUG;
      }
      return r;
    }
    function localstorage() {
      try {
        return localStorage;
      } catch (error) {
      }
    }
    module.exports = require_common()(exports);
    var { formatters } = module.exports;
    formatters.j = function(v) {
      try {
        return JSON.stringify(v);
      } catch (error) {
        return "[UnexpectedJSONParseError]: " + error.message;
      }
    };
  }
});

// node_modules/debug/src/node.js
var require_node = __commonJS({
  "node_modules/debug/src/node.js"(exports, module) {
    var tty = __require("tty");
    var util = __require("util");
    exports.init = init;
    exports.log = log;
    exports.formatArgs = formatArgs;
    exports.save = save;
    exports.load = load2;
    exports.useColors = useColors;
    exports.destroy = util.deprecate(
      () => {
      },
      "Instance method `debug.destroy()` is deprecated and no longer does anything. It will be removed in the next major version of `debug`."
    );
    exports.colors = [6, 2, 3, 4, 5, 1];
    try {
      const supportsColor = __require("supports-color");
      if (supportsColor && (supportsColor.stderr || supportsColor).level >= 2) {
        exports.colors = [
          20,
          21,
          26,
          27,
          32,
          33,
          38,
          39,
          40,
          41,
          42,
          43,
          44,
          45,
          56,
          57,
          62,
          63,
          68,
          69,
          74,
          75,
          76,
          77,
          78,
          79,
          80,
          81,
          92,
          93,
          98,
          99,
          112,
          113,
          128,
          129,
          134,
          135,
          148,
          149,
          160,
          161,
          162,
          163,
          164,
          165,
          166,
          167,
          168,
          169,
          170,
          171,
          172,
          173,
          178,
          179,
          184,
          185,
          196,
          197,
          198,
          199,
          200,
          201,
          202,
          203,
          204,
          205,
          206,
          207,
          208,
          209,
          214,
          215,
          220,
          221
        ];
      }
    } catch (error) {
    }
    exports.inspectOpts = Object.keys(process.env).filter((key) => {
      return /^debug_/i.test(key);
    }).reduce((obj, key) => {
      const prop = key.substring(6).toLowerCase().replace(/_([a-z])/g, (_, k) => {
        return k.toUpperCase();
      });
      let val = process.env[key];
      if (/^(yes|on|true|enabled)$/i.test(val)) {
        val = true;
      } else if (/^(no|off|false|disabled)$/i.test(val)) {
        val = false;
      } else if (val === "null") {
        val = null;
      } else {
        val = Number(val);
      }
      obj[prop] = val;
      return obj;
    }, {});
    function useColors() {
      return "colors" in exports.inspectOpts ? Boolean(exports.inspectOpts.colors) : tty.isatty(process.stderr.fd);
    }
    function formatArgs(args) {
      const { namespace: name, useColors: useColors2 } = this;
      if (useColors2) {
        const c = this.color;
        const colorCode = "\x1B[3" + (c < 8 ? c : "8;5;" + c);
        const prefix = `  ${colorCode};1m${name} \x1B[0m`;
        args[0] = prefix + args[0].split("\n").join("\n" + prefix);
        args.push(colorCode + "m+" + module.exports.humanize(this.diff) + "\x1B[0m");
      } else {
        args[0] = getDate() + name + " " + args[0];
      }
    }
    function getDate() {
      if (exports.inspectOpts.hideDate) {
        return "";
      }
      return (/* @__PURE__ */ new Date()).toISOString() + " ";
    }
    function log(...args) {
      return process.stderr.write(util.formatWithOptions(exports.inspectOpts, ...args) + "\n");
    }
    function save(namespaces) {
      if (namespaces) {
        process.env.DEBUG = namespaces;
      } else {
        delete process.env.DEBUG;
      }
    }
    function load2() {
      return process.env.DEBUG;
    }
    function init(debug3) {
      debug3.inspectOpts = {};
      const keys = Object.keys(exports.inspectOpts);
      for (let i = 0; i < keys.length; i++) {
        debug3.inspectOpts[keys[i]] = exports.inspectOpts[keys[i]];
      }
    }
    module.exports = require_common()(exports);
    var { formatters } = module.exports;
    formatters.o = function(v) {
      this.inspectOpts.colors = this.useColors;
      return util.inspect(v, this.inspectOpts).split("\n").map((str) => str.trim()).join(" ");
    };
    formatters.O = function(v) {
      this.inspectOpts.colors = this.useColors;
      return util.inspect(v, this.inspectOpts);
    };
  }
});

// node_modules/debug/src/index.js
var require_src = __commonJS({
  "node_modules/debug/src/index.js"(exports, module) {
    if (typeof process === "undefined" || process.type === "renderer" || process.browser === true || process.__nwjs) {
      module.exports = require_browser();
    } else {
      module.exports = require_node();
    }
  }
});

// node_modules/cli-progress/lib/eta.js
var require_eta = __commonJS({
  "node_modules/cli-progress/lib/eta.js"(exports, module) {
    var ETA = class {
      constructor(length, initTime, initValue) {
        this.etaBufferLength = length || 100;
        this.valueBuffer = [initValue];
        this.timeBuffer = [initTime];
        this.eta = "0";
      }
      // add new values to calculation buffer
      update(time, value, total) {
        this.valueBuffer.push(value);
        this.timeBuffer.push(time);
        this.calculate(total - value);
      }
      // fetch estimated time
      getTime() {
        return this.eta;
      }
      // eta calculation - request number of remaining events
      calculate(remaining) {
        const currentBufferSize = this.valueBuffer.length;
        const buffer = Math.min(this.etaBufferLength, currentBufferSize);
        const v_diff = this.valueBuffer[currentBufferSize - 1] - this.valueBuffer[currentBufferSize - buffer];
        const t_diff = this.timeBuffer[currentBufferSize - 1] - this.timeBuffer[currentBufferSize - buffer];
        const vt_rate = v_diff / t_diff;
        this.valueBuffer = this.valueBuffer.slice(-this.etaBufferLength);
        this.timeBuffer = this.timeBuffer.slice(-this.etaBufferLength);
        const eta = Math.ceil(remaining / vt_rate / 1e3);
        if (isNaN(eta)) {
          this.eta = "NULL";
        } else if (!isFinite(eta)) {
          this.eta = "INF";
        } else if (eta > 1e7) {
          this.eta = "INF";
        } else if (eta < 0) {
          this.eta = 0;
        } else {
          this.eta = eta;
        }
      }
    };
    module.exports = ETA;
  }
});

// node_modules/cli-progress/lib/terminal.js
var require_terminal = __commonJS({
  "node_modules/cli-progress/lib/terminal.js"(exports, module) {
    var _readline = __require("readline");
    var Terminal = class {
      constructor(outputStream) {
        this.stream = outputStream;
        this.linewrap = true;
        this.dy = 0;
      }
      // save cursor position + settings
      cursorSave() {
        if (!this.stream.isTTY) {
          return;
        }
        this.stream.write("\x1B7");
      }
      // restore last cursor position + settings
      cursorRestore() {
        if (!this.stream.isTTY) {
          return;
        }
        this.stream.write("\x1B8");
      }
      // show/hide cursor
      cursor(enabled) {
        if (!this.stream.isTTY) {
          return;
        }
        if (enabled) {
          this.stream.write("\x1B[?25h");
        } else {
          this.stream.write("\x1B[?25l");
        }
      }
      // change cursor positionn
      cursorTo(x = null, y = null) {
        if (!this.stream.isTTY) {
          return;
        }
        _readline.cursorTo(this.stream, x, y);
      }
      // change relative cursor position
      cursorRelative(dx = null, dy = null) {
        if (!this.stream.isTTY) {
          return;
        }
        this.dy = this.dy + dy;
        _readline.moveCursor(this.stream, dx, dy);
      }
      // relative reset
      cursorRelativeReset() {
        if (!this.stream.isTTY) {
          return;
        }
        _readline.moveCursor(this.stream, 0, -this.dy);
        _readline.cursorTo(this.stream, 0, null);
        this.dy = 0;
      }
      // clear to the right from cursor
      clearRight() {
        if (!this.stream.isTTY) {
          return;
        }
        _readline.clearLine(this.stream, 1);
      }
      // clear the full line
      clearLine() {
        if (!this.stream.isTTY) {
          return;
        }
        _readline.clearLine(this.stream, 0);
      }
      // clear everyting beyond the current line
      clearBottom() {
        if (!this.stream.isTTY) {
          return;
        }
        _readline.clearScreenDown(this.stream);
      }
      // add new line; increment counter
      newline() {
        this.stream.write("\n");
        this.dy++;
      }
      // write content to output stream
      // @TODO use string-width to strip length
      write(s, rawWrite = false) {
        if (this.linewrap === true && rawWrite === false) {
          this.stream.write(s.substr(0, this.getWidth()));
        } else {
          this.stream.write(s);
        }
      }
      // control line wrapping
      lineWrapping(enabled) {
        if (!this.stream.isTTY) {
          return;
        }
        this.linewrap = enabled;
        if (enabled) {
          this.stream.write("\x1B[?7h");
        } else {
          this.stream.write("\x1B[?7l");
        }
      }
      // tty environment ?
      isTTY() {
        return this.stream.isTTY === true;
      }
      // get terminal width
      getWidth() {
        return this.stream.columns || (this.stream.isTTY ? 80 : 200);
      }
    };
    module.exports = Terminal;
  }
});

// node_modules/ansi-regex/index.js
var require_ansi_regex = __commonJS({
  "node_modules/ansi-regex/index.js"(exports, module) {
    "use strict";
    module.exports = ({ onlyFirst = false } = {}) => {
      const pattern = [
        "[\\u001B\\u009B][[\\]()#;?]*(?:(?:(?:(?:;[-a-zA-Z\\d\\/#&.:=?%@~_]+)*|[a-zA-Z\\d]+(?:;[-a-zA-Z\\d\\/#&.:=?%@~_]*)*)?\\u0007)",
        "(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PR-TZcf-ntqry=><~]))"
      ].join("|");
      return new RegExp(pattern, onlyFirst ? void 0 : "g");
    };
  }
});

// node_modules/strip-ansi/index.js
var require_strip_ansi = __commonJS({
  "node_modules/strip-ansi/index.js"(exports, module) {
    "use strict";
    var ansiRegex = require_ansi_regex();
    module.exports = (string) => typeof string === "string" ? string.replace(ansiRegex(), "") : string;
  }
});

// node_modules/is-fullwidth-code-point/index.js
var require_is_fullwidth_code_point = __commonJS({
  "node_modules/is-fullwidth-code-point/index.js"(exports, module) {
    "use strict";
    var isFullwidthCodePoint = (codePoint) => {
      if (Number.isNaN(codePoint)) {
        return false;
      }
      if (codePoint >= 4352 && (codePoint <= 4447 || // Hangul Jamo
      codePoint === 9001 || // LEFT-POINTING ANGLE BRACKET
      codePoint === 9002 || // RIGHT-POINTING ANGLE BRACKET
      // CJK Radicals Supplement .. Enclosed CJK Letters and Months
      11904 <= codePoint && codePoint <= 12871 && codePoint !== 12351 || // Enclosed CJK Letters and Months .. CJK Unified Ideographs Extension A
      12880 <= codePoint && codePoint <= 19903 || // CJK Unified Ideographs .. Yi Radicals
      19968 <= codePoint && codePoint <= 42182 || // Hangul Jamo Extended-A
      43360 <= codePoint && codePoint <= 43388 || // Hangul Syllables
      44032 <= codePoint && codePoint <= 55203 || // CJK Compatibility Ideographs
      63744 <= codePoint && codePoint <= 64255 || // Vertical Forms
      65040 <= codePoint && codePoint <= 65049 || // CJK Compatibility Forms .. Small Form Variants
      65072 <= codePoint && codePoint <= 65131 || // Halfwidth and Fullwidth Forms
      65281 <= codePoint && codePoint <= 65376 || 65504 <= codePoint && codePoint <= 65510 || // Kana Supplement
      110592 <= codePoint && codePoint <= 110593 || // Enclosed Ideographic Supplement
      127488 <= codePoint && codePoint <= 127569 || // CJK Unified Ideographs Extension B .. Tertiary Ideographic Plane
      131072 <= codePoint && codePoint <= 262141)) {
        return true;
      }
      return false;
    };
    module.exports = isFullwidthCodePoint;
    module.exports.default = isFullwidthCodePoint;
  }
});

// node_modules/emoji-regex/index.js
var require_emoji_regex = __commonJS({
  "node_modules/emoji-regex/index.js"(exports, module) {
    "use strict";
    module.exports = function() {
      return /\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62(?:\uDB40\uDC65\uDB40\uDC6E\uDB40\uDC67|\uDB40\uDC73\uDB40\uDC63\uDB40\uDC74|\uDB40\uDC77\uDB40\uDC6C\uDB40\uDC73)\uDB40\uDC7F|\uD83D\uDC68(?:\uD83C\uDFFC\u200D(?:\uD83E\uDD1D\u200D\uD83D\uDC68\uD83C\uDFFB|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\uD83C\uDFFF\u200D(?:\uD83E\uDD1D\u200D\uD83D\uDC68(?:\uD83C[\uDFFB-\uDFFE])|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\uD83C\uDFFE\u200D(?:\uD83E\uDD1D\u200D\uD83D\uDC68(?:\uD83C[\uDFFB-\uDFFD])|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\uD83C\uDFFD\u200D(?:\uD83E\uDD1D\u200D\uD83D\uDC68(?:\uD83C[\uDFFB\uDFFC])|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\u200D(?:\u2764\uFE0F\u200D(?:\uD83D\uDC8B\u200D)?\uD83D\uDC68|(?:\uD83D[\uDC68\uDC69])\u200D(?:\uD83D\uDC66\u200D\uD83D\uDC66|\uD83D\uDC67\u200D(?:\uD83D[\uDC66\uDC67]))|\uD83D\uDC66\u200D\uD83D\uDC66|\uD83D\uDC67\u200D(?:\uD83D[\uDC66\uDC67])|(?:\uD83D[\uDC68\uDC69])\u200D(?:\uD83D[\uDC66\uDC67])|[\u2695\u2696\u2708]\uFE0F|\uD83D[\uDC66\uDC67]|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|(?:\uD83C\uDFFB\u200D[\u2695\u2696\u2708]|\uD83C\uDFFF\u200D[\u2695\u2696\u2708]|\uD83C\uDFFE\u200D[\u2695\u2696\u2708]|\uD83C\uDFFD\u200D[\u2695\u2696\u2708]|\uD83C\uDFFC\u200D[\u2695\u2696\u2708])\uFE0F|\uD83C\uDFFB\u200D(?:\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\uD83C[\uDFFB-\uDFFF])|(?:\uD83E\uDDD1\uD83C\uDFFB\u200D\uD83E\uDD1D\u200D\uD83E\uDDD1|\uD83D\uDC69\uD83C\uDFFC\u200D\uD83E\uDD1D\u200D\uD83D\uDC69)\uD83C\uDFFB|\uD83E\uDDD1(?:\uD83C\uDFFF\u200D\uD83E\uDD1D\u200D\uD83E\uDDD1(?:\uD83C[\uDFFB-\uDFFF])|\u200D\uD83E\uDD1D\u200D\uD83E\uDDD1)|(?:\uD83E\uDDD1\uD83C\uDFFE\u200D\uD83E\uDD1D\u200D\uD83E\uDDD1|\uD83D\uDC69\uD83C\uDFFF\u200D\uD83E\uDD1D\u200D(?:\uD83D[\uDC68\uDC69]))(?:\uD83C[\uDFFB-\uDFFE])|(?:\uD83E\uDDD1\uD83C\uDFFC\u200D\uD83E\uDD1D\u200D\uD83E\uDDD1|\uD83D\uDC69\uD83C\uDFFD\u200D\uD83E\uDD1D\u200D\uD83D\uDC69)(?:\uD83C[\uDFFB\uDFFC])|\uD83D\uDC69(?:\uD83C\uDFFE\u200D(?:\uD83E\uDD1D\u200D\uD83D\uDC68(?:\uD83C[\uDFFB-\uDFFD\uDFFF])|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\uD83C\uDFFC\u200D(?:\uD83E\uDD1D\u200D\uD83D\uDC68(?:\uD83C[\uDFFB\uDFFD-\uDFFF])|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\uD83C\uDFFB\u200D(?:\uD83E\uDD1D\u200D\uD83D\uDC68(?:\uD83C[\uDFFC-\uDFFF])|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\uD83C\uDFFD\u200D(?:\uD83E\uDD1D\u200D\uD83D\uDC68(?:\uD83C[\uDFFB\uDFFC\uDFFE\uDFFF])|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\u200D(?:\u2764\uFE0F\u200D(?:\uD83D\uDC8B\u200D(?:\uD83D[\uDC68\uDC69])|\uD83D[\uDC68\uDC69])|\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD])|\uD83C\uDFFF\u200D(?:\uD83C[\uDF3E\uDF73\uDF93\uDFA4\uDFA8\uDFEB\uDFED]|\uD83D[\uDCBB\uDCBC\uDD27\uDD2C\uDE80\uDE92]|\uD83E[\uDDAF-\uDDB3\uDDBC\uDDBD]))|\uD83D\uDC69\u200D\uD83D\uDC69\u200D(?:\uD83D\uDC66\u200D\uD83D\uDC66|\uD83D\uDC67\u200D(?:\uD83D[\uDC66\uDC67]))|(?:\uD83E\uDDD1\uD83C\uDFFD\u200D\uD83E\uDD1D\u200D\uD83E\uDDD1|\uD83D\uDC69\uD83C\uDFFE\u200D\uD83E\uDD1D\u200D\uD83D\uDC69)(?:\uD83C[\uDFFB-\uDFFD])|\uD83D\uDC69\u200D\uD83D\uDC66\u200D\uD83D\uDC66|\uD83D\uDC69\u200D\uD83D\uDC69\u200D(?:\uD83D[\uDC66\uDC67])|(?:\uD83D\uDC41\uFE0F\u200D\uD83D\uDDE8|\uD83D\uDC69(?:\uD83C\uDFFF\u200D[\u2695\u2696\u2708]|\uD83C\uDFFE\u200D[\u2695\u2696\u2708]|\uD83C\uDFFC\u200D[\u2695\u2696\u2708]|\uD83C\uDFFB\u200D[\u2695\u2696\u2708]|\uD83C\uDFFD\u200D[\u2695\u2696\u2708]|\u200D[\u2695\u2696\u2708])|(?:(?:\u26F9|\uD83C[\uDFCB\uDFCC]|\uD83D\uDD75)\uFE0F|\uD83D\uDC6F|\uD83E[\uDD3C\uDDDE\uDDDF])\u200D[\u2640\u2642]|(?:\u26F9|\uD83C[\uDFCB\uDFCC]|\uD83D\uDD75)(?:\uD83C[\uDFFB-\uDFFF])\u200D[\u2640\u2642]|(?:\uD83C[\uDFC3\uDFC4\uDFCA]|\uD83D[\uDC6E\uDC71\uDC73\uDC77\uDC81\uDC82\uDC86\uDC87\uDE45-\uDE47\uDE4B\uDE4D\uDE4E\uDEA3\uDEB4-\uDEB6]|\uD83E[\uDD26\uDD37-\uDD39\uDD3D\uDD3E\uDDB8\uDDB9\uDDCD-\uDDCF\uDDD6-\uDDDD])(?:(?:\uD83C[\uDFFB-\uDFFF])\u200D[\u2640\u2642]|\u200D[\u2640\u2642])|\uD83C\uDFF4\u200D\u2620)\uFE0F|\uD83D\uDC69\u200D\uD83D\uDC67\u200D(?:\uD83D[\uDC66\uDC67])|\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08|\uD83D\uDC15\u200D\uD83E\uDDBA|\uD83D\uDC69\u200D\uD83D\uDC66|\uD83D\uDC69\u200D\uD83D\uDC67|\uD83C\uDDFD\uD83C\uDDF0|\uD83C\uDDF4\uD83C\uDDF2|\uD83C\uDDF6\uD83C\uDDE6|[#\*0-9]\uFE0F\u20E3|\uD83C\uDDE7(?:\uD83C[\uDDE6\uDDE7\uDDE9-\uDDEF\uDDF1-\uDDF4\uDDF6-\uDDF9\uDDFB\uDDFC\uDDFE\uDDFF])|\uD83C\uDDF9(?:\uD83C[\uDDE6\uDDE8\uDDE9\uDDEB-\uDDED\uDDEF-\uDDF4\uDDF7\uDDF9\uDDFB\uDDFC\uDDFF])|\uD83C\uDDEA(?:\uD83C[\uDDE6\uDDE8\uDDEA\uDDEC\uDDED\uDDF7-\uDDFA])|\uD83E\uDDD1(?:\uD83C[\uDFFB-\uDFFF])|\uD83C\uDDF7(?:\uD83C[\uDDEA\uDDF4\uDDF8\uDDFA\uDDFC])|\uD83D\uDC69(?:\uD83C[\uDFFB-\uDFFF])|\uD83C\uDDF2(?:\uD83C[\uDDE6\uDDE8-\uDDED\uDDF0-\uDDFF])|\uD83C\uDDE6(?:\uD83C[\uDDE8-\uDDEC\uDDEE\uDDF1\uDDF2\uDDF4\uDDF6-\uDDFA\uDDFC\uDDFD\uDDFF])|\uD83C\uDDF0(?:\uD83C[\uDDEA\uDDEC-\uDDEE\uDDF2\uDDF3\uDDF5\uDDF7\uDDFC\uDDFE\uDDFF])|\uD83C\uDDED(?:\uD83C[\uDDF0\uDDF2\uDDF3\uDDF7\uDDF9\uDDFA])|\uD83C\uDDE9(?:\uD83C[\uDDEA\uDDEC\uDDEF\uDDF0\uDDF2\uDDF4\uDDFF])|\uD83C\uDDFE(?:\uD83C[\uDDEA\uDDF9])|\uD83C\uDDEC(?:\uD83C[\uDDE6\uDDE7\uDDE9-\uDDEE\uDDF1-\uDDF3\uDDF5-\uDDFA\uDDFC\uDDFE])|\uD83C\uDDF8(?:\uD83C[\uDDE6-\uDDEA\uDDEC-\uDDF4\uDDF7-\uDDF9\uDDFB\uDDFD-\uDDFF])|\uD83C\uDDEB(?:\uD83C[\uDDEE-\uDDF0\uDDF2\uDDF4\uDDF7])|\uD83C\uDDF5(?:\uD83C[\uDDE6\uDDEA-\uDDED\uDDF0-\uDDF3\uDDF7-\uDDF9\uDDFC\uDDFE])|\uD83C\uDDFB(?:\uD83C[\uDDE6\uDDE8\uDDEA\uDDEC\uDDEE\uDDF3\uDDFA])|\uD83C\uDDF3(?:\uD83C[\uDDE6\uDDE8\uDDEA-\uDDEC\uDDEE\uDDF1\uDDF4\uDDF5\uDDF7\uDDFA\uDDFF])|\uD83C\uDDE8(?:\uD83C[\uDDE6\uDDE8\uDDE9\uDDEB-\uDDEE\uDDF0-\uDDF5\uDDF7\uDDFA-\uDDFF])|\uD83C\uDDF1(?:\uD83C[\uDDE6-\uDDE8\uDDEE\uDDF0\uDDF7-\uDDFB\uDDFE])|\uD83C\uDDFF(?:\uD83C[\uDDE6\uDDF2\uDDFC])|\uD83C\uDDFC(?:\uD83C[\uDDEB\uDDF8])|\uD83C\uDDFA(?:\uD83C[\uDDE6\uDDEC\uDDF2\uDDF3\uDDF8\uDDFE\uDDFF])|\uD83C\uDDEE(?:\uD83C[\uDDE8-\uDDEA\uDDF1-\uDDF4\uDDF6-\uDDF9])|\uD83C\uDDEF(?:\uD83C[\uDDEA\uDDF2\uDDF4\uDDF5])|(?:\uD83C[\uDFC3\uDFC4\uDFCA]|\uD83D[\uDC6E\uDC71\uDC73\uDC77\uDC81\uDC82\uDC86\uDC87\uDE45-\uDE47\uDE4B\uDE4D\uDE4E\uDEA3\uDEB4-\uDEB6]|\uD83E[\uDD26\uDD37-\uDD39\uDD3D\uDD3E\uDDB8\uDDB9\uDDCD-\uDDCF\uDDD6-\uDDDD])(?:\uD83C[\uDFFB-\uDFFF])|(?:\u26F9|\uD83C[\uDFCB\uDFCC]|\uD83D\uDD75)(?:\uD83C[\uDFFB-\uDFFF])|(?:[\u261D\u270A-\u270D]|\uD83C[\uDF85\uDFC2\uDFC7]|\uD83D[\uDC42\uDC43\uDC46-\uDC50\uDC66\uDC67\uDC6B-\uDC6D\uDC70\uDC72\uDC74-\uDC76\uDC78\uDC7C\uDC83\uDC85\uDCAA\uDD74\uDD7A\uDD90\uDD95\uDD96\uDE4C\uDE4F\uDEC0\uDECC]|\uD83E[\uDD0F\uDD18-\uDD1C\uDD1E\uDD1F\uDD30-\uDD36\uDDB5\uDDB6\uDDBB\uDDD2-\uDDD5])(?:\uD83C[\uDFFB-\uDFFF])|(?:[\u231A\u231B\u23E9-\u23EC\u23F0\u23F3\u25FD\u25FE\u2614\u2615\u2648-\u2653\u267F\u2693\u26A1\u26AA\u26AB\u26BD\u26BE\u26C4\u26C5\u26CE\u26D4\u26EA\u26F2\u26F3\u26F5\u26FA\u26FD\u2705\u270A\u270B\u2728\u274C\u274E\u2753-\u2755\u2757\u2795-\u2797\u27B0\u27BF\u2B1B\u2B1C\u2B50\u2B55]|\uD83C[\uDC04\uDCCF\uDD8E\uDD91-\uDD9A\uDDE6-\uDDFF\uDE01\uDE1A\uDE2F\uDE32-\uDE36\uDE38-\uDE3A\uDE50\uDE51\uDF00-\uDF20\uDF2D-\uDF35\uDF37-\uDF7C\uDF7E-\uDF93\uDFA0-\uDFCA\uDFCF-\uDFD3\uDFE0-\uDFF0\uDFF4\uDFF8-\uDFFF]|\uD83D[\uDC00-\uDC3E\uDC40\uDC42-\uDCFC\uDCFF-\uDD3D\uDD4B-\uDD4E\uDD50-\uDD67\uDD7A\uDD95\uDD96\uDDA4\uDDFB-\uDE4F\uDE80-\uDEC5\uDECC\uDED0-\uDED2\uDED5\uDEEB\uDEEC\uDEF4-\uDEFA\uDFE0-\uDFEB]|\uD83E[\uDD0D-\uDD3A\uDD3C-\uDD45\uDD47-\uDD71\uDD73-\uDD76\uDD7A-\uDDA2\uDDA5-\uDDAA\uDDAE-\uDDCA\uDDCD-\uDDFF\uDE70-\uDE73\uDE78-\uDE7A\uDE80-\uDE82\uDE90-\uDE95])|(?:[#\*0-9\xA9\xAE\u203C\u2049\u2122\u2139\u2194-\u2199\u21A9\u21AA\u231A\u231B\u2328\u23CF\u23E9-\u23F3\u23F8-\u23FA\u24C2\u25AA\u25AB\u25B6\u25C0\u25FB-\u25FE\u2600-\u2604\u260E\u2611\u2614\u2615\u2618\u261D\u2620\u2622\u2623\u2626\u262A\u262E\u262F\u2638-\u263A\u2640\u2642\u2648-\u2653\u265F\u2660\u2663\u2665\u2666\u2668\u267B\u267E\u267F\u2692-\u2697\u2699\u269B\u269C\u26A0\u26A1\u26AA\u26AB\u26B0\u26B1\u26BD\u26BE\u26C4\u26C5\u26C8\u26CE\u26CF\u26D1\u26D3\u26D4\u26E9\u26EA\u26F0-\u26F5\u26F7-\u26FA\u26FD\u2702\u2705\u2708-\u270D\u270F\u2712\u2714\u2716\u271D\u2721\u2728\u2733\u2734\u2744\u2747\u274C\u274E\u2753-\u2755\u2757\u2763\u2764\u2795-\u2797\u27A1\u27B0\u27BF\u2934\u2935\u2B05-\u2B07\u2B1B\u2B1C\u2B50\u2B55\u3030\u303D\u3297\u3299]|\uD83C[\uDC04\uDCCF\uDD70\uDD71\uDD7E\uDD7F\uDD8E\uDD91-\uDD9A\uDDE6-\uDDFF\uDE01\uDE02\uDE1A\uDE2F\uDE32-\uDE3A\uDE50\uDE51\uDF00-\uDF21\uDF24-\uDF93\uDF96\uDF97\uDF99-\uDF9B\uDF9E-\uDFF0\uDFF3-\uDFF5\uDFF7-\uDFFF]|\uD83D[\uDC00-\uDCFD\uDCFF-\uDD3D\uDD49-\uDD4E\uDD50-\uDD67\uDD6F\uDD70\uDD73-\uDD7A\uDD87\uDD8A-\uDD8D\uDD90\uDD95\uDD96\uDDA4\uDDA5\uDDA8\uDDB1\uDDB2\uDDBC\uDDC2-\uDDC4\uDDD1-\uDDD3\uDDDC-\uDDDE\uDDE1\uDDE3\uDDE8\uDDEF\uDDF3\uDDFA-\uDE4F\uDE80-\uDEC5\uDECB-\uDED2\uDED5\uDEE0-\uDEE5\uDEE9\uDEEB\uDEEC\uDEF0\uDEF3-\uDEFA\uDFE0-\uDFEB]|\uD83E[\uDD0D-\uDD3A\uDD3C-\uDD45\uDD47-\uDD71\uDD73-\uDD76\uDD7A-\uDDA2\uDDA5-\uDDAA\uDDAE-\uDDCA\uDDCD-\uDDFF\uDE70-\uDE73\uDE78-\uDE7A\uDE80-\uDE82\uDE90-\uDE95])\uFE0F|(?:[\u261D\u26F9\u270A-\u270D]|\uD83C[\uDF85\uDFC2-\uDFC4\uDFC7\uDFCA-\uDFCC]|\uD83D[\uDC42\uDC43\uDC46-\uDC50\uDC66-\uDC78\uDC7C\uDC81-\uDC83\uDC85-\uDC87\uDC8F\uDC91\uDCAA\uDD74\uDD75\uDD7A\uDD90\uDD95\uDD96\uDE45-\uDE47\uDE4B-\uDE4F\uDEA3\uDEB4-\uDEB6\uDEC0\uDECC]|\uD83E[\uDD0F\uDD18-\uDD1F\uDD26\uDD30-\uDD39\uDD3C-\uDD3E\uDDB5\uDDB6\uDDB8\uDDB9\uDDBB\uDDCD-\uDDCF\uDDD1-\uDDDD])/g;
    };
  }
});

// node_modules/string-width/index.js
var require_string_width = __commonJS({
  "node_modules/string-width/index.js"(exports, module) {
    "use strict";
    var stripAnsi = require_strip_ansi();
    var isFullwidthCodePoint = require_is_fullwidth_code_point();
    var emojiRegex = require_emoji_regex();
    var stringWidth = (string) => {
      if (typeof string !== "string" || string.length === 0) {
        return 0;
      }
      string = stripAnsi(string);
      if (string.length === 0) {
        return 0;
      }
      string = string.replace(emojiRegex(), "  ");
      let width = 0;
      for (let i = 0; i < string.length; i++) {
        const code = string.codePointAt(i);
        if (code <= 31 || code >= 127 && code <= 159) {
          continue;
        }
        if (code >= 768 && code <= 879) {
          continue;
        }
        if (code > 65535) {
          i++;
        }
        width += isFullwidthCodePoint(code) ? 2 : 1;
      }
      return width;
    };
    module.exports = stringWidth;
    module.exports.default = stringWidth;
  }
});

// node_modules/cli-progress/lib/format-value.js
var require_format_value = __commonJS({
  "node_modules/cli-progress/lib/format-value.js"(exports, module) {
    module.exports = function formatValue(v, options, type) {
      if (options.autopadding !== true) {
        return v;
      }
      function autopadding(value, length) {
        return (options.autopaddingChar + value).slice(-length);
      }
      switch (type) {
        case "percentage":
          return autopadding(v, 3);
        default:
          return v;
      }
    };
  }
});

// node_modules/cli-progress/lib/format-bar.js
var require_format_bar = __commonJS({
  "node_modules/cli-progress/lib/format-bar.js"(exports, module) {
    module.exports = function formatBar(progress, options) {
      const completeSize = Math.round(progress * options.barsize);
      const incompleteSize = options.barsize - completeSize;
      return options.barCompleteString.substr(0, completeSize) + options.barGlue + options.barIncompleteString.substr(0, incompleteSize);
    };
  }
});

// node_modules/cli-progress/lib/format-time.js
var require_format_time = __commonJS({
  "node_modules/cli-progress/lib/format-time.js"(exports, module) {
    module.exports = function formatTime(t, options, roundToMultipleOf) {
      function round(input) {
        if (roundToMultipleOf) {
          return roundToMultipleOf * Math.round(input / roundToMultipleOf);
        } else {
          return input;
        }
      }
      function autopadding(v) {
        return (options.autopaddingChar + v).slice(-2);
      }
      if (t > 3600) {
        return autopadding(Math.floor(t / 3600)) + "h" + autopadding(round(t % 3600 / 60)) + "m";
      } else if (t > 60) {
        return autopadding(Math.floor(t / 60)) + "m" + autopadding(round(t % 60)) + "s";
      } else if (t > 10) {
        return autopadding(round(t)) + "s";
      } else {
        return autopadding(t) + "s";
      }
    };
  }
});

// node_modules/cli-progress/lib/formatter.js
var require_formatter = __commonJS({
  "node_modules/cli-progress/lib/formatter.js"(exports, module) {
    var _stringWidth = require_string_width();
    var _defaultFormatValue = require_format_value();
    var _defaultFormatBar = require_format_bar();
    var _defaultFormatTime = require_format_time();
    module.exports = function defaultFormatter(options, params, payload) {
      let s = options.format;
      const formatTime = options.formatTime || _defaultFormatTime;
      const formatValue = options.formatValue || _defaultFormatValue;
      const formatBar = options.formatBar || _defaultFormatBar;
      const percentage = Math.floor(params.progress * 100) + "";
      const stopTime = params.stopTime || Date.now();
      const elapsedTime = Math.round((stopTime - params.startTime) / 1e3);
      const context = Object.assign({}, payload, {
        bar: formatBar(params.progress, options),
        percentage: formatValue(percentage, options, "percentage"),
        total: formatValue(params.total, options, "total"),
        value: formatValue(params.value, options, "value"),
        eta: formatValue(params.eta, options, "eta"),
        eta_formatted: formatTime(params.eta, options, 5),
        duration: formatValue(elapsedTime, options, "duration"),
        duration_formatted: formatTime(elapsedTime, options, 1)
      });
      s = s.replace(/\{(\w+)\}/g, function(match, key) {
        if (typeof context[key] !== "undefined") {
          return context[key];
        }
        return match;
      });
      const fullMargin = Math.max(0, params.maxWidth - _stringWidth(s) - 2);
      const halfMargin = Math.floor(fullMargin / 2);
      switch (options.align) {
        // fill start-of-line with whitespaces
        case "right":
          s = fullMargin > 0 ? " ".repeat(fullMargin) + s : s;
          break;
        // distribute whitespaces to left+right
        case "center":
          s = halfMargin > 0 ? " ".repeat(halfMargin) + s : s;
          break;
        // default: left align, no additional whitespaces
        case "left":
        default:
          break;
      }
      return s;
    };
  }
});

// node_modules/cli-progress/lib/options.js
var require_options = __commonJS({
  "node_modules/cli-progress/lib/options.js"(exports, module) {
    function mergeOption(v, defaultValue) {
      if (typeof v === "undefined" || v === null) {
        return defaultValue;
      } else {
        return v;
      }
    }
    module.exports = {
      // set global options
      parse: function parse(rawOptions, preset) {
        const options = {};
        const opt = Object.assign({}, preset, rawOptions);
        options.throttleTime = 1e3 / mergeOption(opt.fps, 10);
        options.stream = mergeOption(opt.stream, process.stderr);
        options.terminal = mergeOption(opt.terminal, null);
        options.clearOnComplete = mergeOption(opt.clearOnComplete, false);
        options.stopOnComplete = mergeOption(opt.stopOnComplete, false);
        options.barsize = mergeOption(opt.barsize, 40);
        options.align = mergeOption(opt.align, "left");
        options.hideCursor = mergeOption(opt.hideCursor, false);
        options.linewrap = mergeOption(opt.linewrap, false);
        options.barGlue = mergeOption(opt.barGlue, "");
        options.barCompleteChar = mergeOption(opt.barCompleteChar, "=");
        options.barIncompleteChar = mergeOption(opt.barIncompleteChar, "-");
        options.format = mergeOption(opt.format, "progress [{bar}] {percentage}% | ETA: {eta}s | {value}/{total}");
        options.formatTime = mergeOption(opt.formatTime, null);
        options.formatValue = mergeOption(opt.formatValue, null);
        options.formatBar = mergeOption(opt.formatBar, null);
        options.etaBufferLength = mergeOption(opt.etaBuffer, 10);
        options.etaAsynchronousUpdate = mergeOption(opt.etaAsynchronousUpdate, false);
        options.progressCalculationRelative = mergeOption(opt.progressCalculationRelative, false);
        options.synchronousUpdate = mergeOption(opt.synchronousUpdate, true);
        options.noTTYOutput = mergeOption(opt.noTTYOutput, false);
        options.notTTYSchedule = mergeOption(opt.notTTYSchedule, 2e3);
        options.emptyOnZero = mergeOption(opt.emptyOnZero, false);
        options.forceRedraw = mergeOption(opt.forceRedraw, false);
        options.autopadding = mergeOption(opt.autopadding, false);
        options.gracefulExit = mergeOption(opt.gracefulExit, false);
        return options;
      },
      // derived options: instance specific, has to be created for every bar element
      assignDerivedOptions: function assignDerivedOptions(options) {
        options.barCompleteString = options.barCompleteChar.repeat(options.barsize + 1);
        options.barIncompleteString = options.barIncompleteChar.repeat(options.barsize + 1);
        options.autopaddingChar = options.autopadding ? mergeOption(options.autopaddingChar, "   ") : "";
        return options;
      }
    };
  }
});

// node_modules/cli-progress/lib/generic-bar.js
var require_generic_bar = __commonJS({
  "node_modules/cli-progress/lib/generic-bar.js"(exports, module) {
    var _ETA = require_eta();
    var _Terminal = require_terminal();
    var _formatter = require_formatter();
    var _options = require_options();
    var _EventEmitter = __require("events");
    module.exports = class GenericBar extends _EventEmitter {
      constructor(options) {
        super();
        this.options = _options.assignDerivedOptions(options);
        this.terminal = this.options.terminal ? this.options.terminal : new _Terminal(this.options.stream);
        this.value = 0;
        this.startValue = 0;
        this.total = 100;
        this.lastDrawnString = null;
        this.startTime = null;
        this.stopTime = null;
        this.lastRedraw = Date.now();
        this.eta = new _ETA(this.options.etaBufferLength, 0, 0);
        this.payload = {};
        this.isActive = false;
        this.formatter = typeof this.options.format === "function" ? this.options.format : _formatter;
      }
      // internal render function
      render(forceRendering = false) {
        const params = {
          progress: this.getProgress(),
          eta: this.eta.getTime(),
          startTime: this.startTime,
          stopTime: this.stopTime,
          total: this.total,
          value: this.value,
          maxWidth: this.terminal.getWidth()
        };
        if (this.options.etaAsynchronousUpdate) {
          this.updateETA();
        }
        const s = this.formatter(this.options, params, this.payload);
        const forceRedraw = forceRendering || this.options.forceRedraw || this.options.noTTYOutput && !this.terminal.isTTY();
        if (forceRedraw || this.lastDrawnString != s) {
          this.emit("redraw-pre");
          this.terminal.cursorTo(0, null);
          this.terminal.write(s);
          this.terminal.clearRight();
          this.lastDrawnString = s;
          this.lastRedraw = Date.now();
          this.emit("redraw-post");
        }
      }
      // start the progress bar
      start(total, startValue, payload) {
        this.value = startValue || 0;
        this.total = typeof total !== "undefined" && total >= 0 ? total : 100;
        this.startValue = startValue || 0;
        this.payload = payload || {};
        this.startTime = Date.now();
        this.stopTime = null;
        this.lastDrawnString = "";
        this.eta = new _ETA(this.options.etaBufferLength, this.startTime, this.value);
        this.isActive = true;
        this.emit("start", total, startValue);
      }
      // stop the bar
      stop() {
        this.isActive = false;
        this.stopTime = Date.now();
        this.emit("stop", this.total, this.value);
      }
      // update the bar value
      // update(value, payload)
      // update(payload)
      update(arg0, arg1 = {}) {
        if (typeof arg0 === "number") {
          this.value = arg0;
          this.eta.update(Date.now(), arg0, this.total);
        }
        const payloadData = (typeof arg0 === "object" ? arg0 : arg1) || {};
        this.emit("update", this.total, this.value);
        for (const key in payloadData) {
          this.payload[key] = payloadData[key];
        }
        if (this.value >= this.getTotal() && this.options.stopOnComplete) {
          this.stop();
        }
      }
      // calculate the actual progress value
      getProgress() {
        let progress = this.value / this.total;
        if (this.options.progressCalculationRelative) {
          progress = (this.value - this.startValue) / (this.total - this.startValue);
        }
        if (isNaN(progress)) {
          progress = this.options && this.options.emptyOnZero ? 0 : 1;
        }
        progress = Math.min(Math.max(progress, 0), 1);
        return progress;
      }
      // update the bar value
      // increment(delta, payload)
      // increment(payload)
      increment(arg0 = 1, arg1 = {}) {
        if (typeof arg0 === "object") {
          this.update(this.value + 1, arg0);
        } else {
          this.update(this.value + arg0, arg1);
        }
      }
      // get the total (limit) value
      getTotal() {
        return this.total;
      }
      // set the total (limit) value
      setTotal(total) {
        if (typeof total !== "undefined" && total >= 0) {
          this.total = total;
        }
      }
      // force eta calculation update (long running processes)
      updateETA() {
        this.eta.update(Date.now(), this.value, this.total);
      }
    };
  }
});

// node_modules/cli-progress/lib/single-bar.js
var require_single_bar = __commonJS({
  "node_modules/cli-progress/lib/single-bar.js"(exports, module) {
    var _GenericBar = require_generic_bar();
    var _options = require_options();
    module.exports = class SingleBar extends _GenericBar {
      constructor(options, preset) {
        super(_options.parse(options, preset));
        this.timer = null;
        if (this.options.noTTYOutput && this.terminal.isTTY() === false) {
          this.options.synchronousUpdate = false;
        }
        this.schedulingRate = this.terminal.isTTY() ? this.options.throttleTime : this.options.notTTYSchedule;
        this.sigintCallback = null;
      }
      // internal render function
      render() {
        if (this.timer) {
          clearTimeout(this.timer);
          this.timer = null;
        }
        super.render();
        if (this.options.noTTYOutput && this.terminal.isTTY() === false) {
          this.terminal.newline();
        }
        this.timer = setTimeout(this.render.bind(this), this.schedulingRate);
      }
      update(current, payload) {
        if (!this.timer) {
          return;
        }
        super.update(current, payload);
        if (this.options.synchronousUpdate && this.lastRedraw + this.options.throttleTime * 2 < Date.now()) {
          this.render();
        }
      }
      // start the progress bar
      start(total, startValue, payload) {
        if (this.options.noTTYOutput === false && this.terminal.isTTY() === false) {
          return;
        }
        if (this.sigintCallback === null && this.options.gracefulExit) {
          this.sigintCallback = this.stop.bind(this);
          process.once("SIGINT", this.sigintCallback);
          process.once("SIGTERM", this.sigintCallback);
        }
        this.terminal.cursorSave();
        if (this.options.hideCursor === true) {
          this.terminal.cursor(false);
        }
        if (this.options.linewrap === false) {
          this.terminal.lineWrapping(false);
        }
        super.start(total, startValue, payload);
        this.render();
      }
      // stop the bar
      stop() {
        if (!this.timer) {
          return;
        }
        if (this.sigintCallback) {
          process.removeListener("SIGINT", this.sigintCallback);
          process.removeListener("SIGTERM", this.sigintCallback);
          this.sigintCallback = null;
        }
        this.render();
        super.stop();
        clearTimeout(this.timer);
        this.timer = null;
        if (this.options.hideCursor === true) {
          this.terminal.cursor(true);
        }
        if (this.options.linewrap === false) {
          this.terminal.lineWrapping(true);
        }
        this.terminal.cursorRestore();
        if (this.options.clearOnComplete) {
          this.terminal.cursorTo(0, null);
          this.terminal.clearLine();
        } else {
          this.terminal.newline();
        }
      }
    };
  }
});

// node_modules/cli-progress/lib/multi-bar.js
var require_multi_bar = __commonJS({
  "node_modules/cli-progress/lib/multi-bar.js"(exports, module) {
    var _Terminal = require_terminal();
    var _BarElement = require_generic_bar();
    var _options = require_options();
    var _EventEmitter = __require("events");
    module.exports = class MultiBar extends _EventEmitter {
      constructor(options, preset) {
        super();
        this.bars = [];
        this.options = _options.parse(options, preset);
        this.options.synchronousUpdate = false;
        this.terminal = this.options.terminal ? this.options.terminal : new _Terminal(this.options.stream);
        this.timer = null;
        this.isActive = false;
        this.schedulingRate = this.terminal.isTTY() ? this.options.throttleTime : this.options.notTTYSchedule;
        this.loggingBuffer = [];
        this.sigintCallback = null;
      }
      // add a new bar to the stack
      create(total, startValue, payload, barOptions = {}) {
        const bar = new _BarElement(Object.assign(
          {},
          // global options
          this.options,
          // terminal instance
          {
            terminal: this.terminal
          },
          // overrides
          barOptions
        ));
        this.bars.push(bar);
        if (this.options.noTTYOutput === false && this.terminal.isTTY() === false) {
          return bar;
        }
        if (this.sigintCallback === null && this.options.gracefulExit) {
          this.sigintCallback = this.stop.bind(this);
          process.once("SIGINT", this.sigintCallback);
          process.once("SIGTERM", this.sigintCallback);
        }
        if (!this.isActive) {
          if (this.options.hideCursor === true) {
            this.terminal.cursor(false);
          }
          if (this.options.linewrap === false) {
            this.terminal.lineWrapping(false);
          }
          this.timer = setTimeout(this.update.bind(this), this.schedulingRate);
        }
        this.isActive = true;
        bar.start(total, startValue, payload);
        this.emit("start");
        return bar;
      }
      // remove a bar from the stack
      remove(bar) {
        const index = this.bars.indexOf(bar);
        if (index < 0) {
          return false;
        }
        this.bars.splice(index, 1);
        this.update();
        this.terminal.newline();
        this.terminal.clearBottom();
        return true;
      }
      // internal update routine
      update() {
        if (this.timer) {
          clearTimeout(this.timer);
          this.timer = null;
        }
        this.emit("update-pre");
        this.terminal.cursorRelativeReset();
        this.emit("redraw-pre");
        if (this.loggingBuffer.length > 0) {
          this.terminal.clearLine();
          while (this.loggingBuffer.length > 0) {
            this.terminal.write(this.loggingBuffer.shift(), true);
          }
        }
        for (let i = 0; i < this.bars.length; i++) {
          if (i > 0) {
            this.terminal.newline();
          }
          this.bars[i].render();
        }
        this.emit("redraw-post");
        if (this.options.noTTYOutput && this.terminal.isTTY() === false) {
          this.terminal.newline();
          this.terminal.newline();
        }
        this.timer = setTimeout(this.update.bind(this), this.schedulingRate);
        this.emit("update-post");
        if (this.options.stopOnComplete && !this.bars.find((bar) => bar.isActive)) {
          this.stop();
        }
      }
      stop() {
        clearTimeout(this.timer);
        this.timer = null;
        if (this.sigintCallback) {
          process.removeListener("SIGINT", this.sigintCallback);
          process.removeListener("SIGTERM", this.sigintCallback);
          this.sigintCallback = null;
        }
        this.isActive = false;
        if (this.options.hideCursor === true) {
          this.terminal.cursor(true);
        }
        if (this.options.linewrap === false) {
          this.terminal.lineWrapping(true);
        }
        this.terminal.cursorRelativeReset();
        this.emit("stop-pre-clear");
        if (this.options.clearOnComplete) {
          this.terminal.clearBottom();
        } else {
          for (let i = 0; i < this.bars.length; i++) {
            if (i > 0) {
              this.terminal.newline();
            }
            this.bars[i].render();
            this.bars[i].stop();
          }
          this.terminal.newline();
        }
        this.emit("stop");
      }
      log(s) {
        this.loggingBuffer.push(s);
      }
    };
  }
});

// node_modules/cli-progress/presets/legacy.js
var require_legacy = __commonJS({
  "node_modules/cli-progress/presets/legacy.js"(exports, module) {
    module.exports = {
      format: "progress [{bar}] {percentage}% | ETA: {eta}s | {value}/{total}",
      barCompleteChar: "=",
      barIncompleteChar: "-"
    };
  }
});

// node_modules/cli-progress/presets/shades-classic.js
var require_shades_classic = __commonJS({
  "node_modules/cli-progress/presets/shades-classic.js"(exports, module) {
    module.exports = {
      format: " {bar} {percentage}% | ETA: {eta}s | {value}/{total}",
      barCompleteChar: "\u2588",
      barIncompleteChar: "\u2591"
    };
  }
});

// node_modules/cli-progress/presets/shades-grey.js
var require_shades_grey = __commonJS({
  "node_modules/cli-progress/presets/shades-grey.js"(exports, module) {
    module.exports = {
      format: " \x1B[90m{bar}\x1B[0m {percentage}% | ETA: {eta}s | {value}/{total}",
      barCompleteChar: "\u2588",
      barIncompleteChar: "\u2591"
    };
  }
});

// node_modules/cli-progress/presets/rect.js
var require_rect = __commonJS({
  "node_modules/cli-progress/presets/rect.js"(exports, module) {
    module.exports = {
      format: " {bar}\u25A0 {percentage}% | ETA: {eta}s | {value}/{total}",
      barCompleteChar: "\u25A0",
      barIncompleteChar: " "
    };
  }
});

// node_modules/cli-progress/presets/index.js
var require_presets = __commonJS({
  "node_modules/cli-progress/presets/index.js"(exports, module) {
    var _legacy = require_legacy();
    var _shades_classic = require_shades_classic();
    var _shades_grey = require_shades_grey();
    var _rect = require_rect();
    module.exports = {
      legacy: _legacy,
      shades_classic: _shades_classic,
      shades_grey: _shades_grey,
      rect: _rect
    };
  }
});

// node_modules/cli-progress/cli-progress.js
var require_cli_progress = __commonJS({
  "node_modules/cli-progress/cli-progress.js"(exports, module) {
    var _SingleBar = require_single_bar();
    var _MultiBar = require_multi_bar();
    var _Presets = require_presets();
    var _Formatter = require_formatter();
    var _defaultFormatValue = require_format_value();
    var _defaultFormatBar = require_format_bar();
    var _defaultFormatTime = require_format_time();
    module.exports = {
      Bar: _SingleBar,
      SingleBar: _SingleBar,
      MultiBar: _MultiBar,
      Presets: _Presets,
      Format: {
        Formatter: _Formatter,
        BarFormat: _defaultFormatBar,
        ValueFormat: _defaultFormatValue,
        TimeFormat: _defaultFormatTime
      }
    };
  }
});

// src/cli/run-engine.ts
import { resolve } from "node:path";

// src/engine/gate/alpha.ts
var AUTO_ALPHA = 0.05;
function gatedAlpha(rule, nondeterministic) {
  if (rule === void 0 || rule === "auto") {
    return nondeterministic ? { alpha: AUTO_ALPHA, alpha_source: "auto-nondeterministic" } : { alpha: null, alpha_source: "auto-deterministic" };
  }
  return { alpha: rule, alpha_source: "config" };
}
function isNondeterministic(params, repeat) {
  const temperature = params["temperature"];
  const topP = params["top_p"];
  if (typeof temperature !== "number" || temperature > 0) return true;
  if (typeof topP === "number" && topP < 1) return true;
  return repeat > 1;
}

// src/engine/gate/compare.ts
var EPSILON = 1e-9;
var NOISE_P = 0.05;
function scoreTable({ samples, cases, repeat }, metricNames) {
  const width = metricNames.length;
  const means = new Float64Array(cases.length * width);
  const counts = new Uint16Array(cases.length * width);
  for (let i = 0; i < samples.length; i++) {
    const s = samples.at(i);
    if (!s) continue;
    const row = Math.floor(i / repeat);
    for (let m = 0; m < width; m++) {
      const score = s.scores[metricNames[m]];
      if (score === void 0) continue;
      means[row * width + m] += score;
      counts[row * width + m]++;
    }
  }
  const sums = new Array(width * 2).fill(0);
  for (let cell = 0; cell < means.length; cell++) {
    const n = counts[cell];
    if (n === 0) {
      means[cell] = Number.NaN;
      continue;
    }
    sums[cell % width * 2] += means[cell];
    sums[cell % width * 2 + 1] += n;
    means[cell] /= n;
  }
  const metrics = {};
  metricNames.forEach((name, m) => {
    const n = sums[2 * m + 1];
    metrics[name] = { mean: n === 0 ? 0 : sums[2 * m] / n, n };
  });
  return { metrics, cases: new CaseScoreColumns(cases, metricNames, means) };
}
var CaseScoreColumns = class {
  constructor(cases, metrics, means) {
    this.cases = cases;
    this.metrics = metrics;
    this.means = means;
  }
  cases;
  metrics;
  means;
  get(id) {
    const row = this.cases.position(id);
    return row === void 0 ? void 0 : this.at(row);
  }
  /** The means of the case at `position` in the evaluation's cases. */
  at(position) {
    const means = {};
    for (let m = 0; m < this.metrics.length; m++) {
      const mean2 = this.means[position * this.metrics.length + m];
      if (!Number.isNaN(mean2)) means[this.metrics[m]] = mean2;
    }
    return means;
  }
  *[Symbol.iterator]() {
    for (let row = 0; row < this.cases.length; row++) yield [this.cases.at(row).id, this.at(row)];
  }
};
var CaseScoreRecord = class {
  constructor(record) {
    this.record = record;
  }
  record;
  get(id) {
    return Object.hasOwn(this.record, id) ? this.record[id] : void 0;
  }
  [Symbol.iterator]() {
    return Object.entries(this.record)[Symbol.iterator]();
  }
};
function compareTables(base, cand, metricNames, gateFor, seedKey, {
  excluded = /* @__PURE__ */ new Set(),
  nondeterministic = false
} = {}) {
  const metrics = metricNames.map((name) => compareMetric(base, cand, name, gateFor(name), seedKey, excluded, nondeterministic));
  return { metrics, ...caseFlips(base, cand, metricNames, excluded) };
}
function compareMetric(base, cand, name, gate, seedKey, excluded, nondeterministic) {
  const gated = gatedAlpha(gate.alpha, nondeterministic);
  let scored = 0;
  const baseScores = [];
  const candScores = [];
  for (const [id, means] of cand.cases) {
    const c = means[name];
    if (c === void 0) continue;
    scored++;
    const b = base && !excluded.has(id) ? base.cases.get(id)?.[name] : void 0;
    if (b === void 0) continue;
    baseScores.push(b);
    candScores.push(c);
  }
  const belowMin = (candidate2) => gate.min !== void 0 && candidate2 < gate.min - EPSILON;
  if (!base || baseScores.length === 0) {
    const candidate2 = cand.metrics[name]?.mean ?? 0;
    return {
      name,
      baseline: null,
      candidate: candidate2,
      delta: null,
      ci95: null,
      p_value: null,
      n: scored,
      regressed: false,
      below_min: belowMin(candidate2),
      likely_noise: false,
      gate,
      ...gated
    };
  }
  const baseline = mean(baseScores);
  const candidate = mean(candScores);
  const { ci95, p_value } = pairedTest(baseScores, candScores, seedFrom(seedKey + name));
  const { alpha } = gated;
  const dropped = baseline - candidate > (gate.max_drop ?? 0) + EPSILON;
  const regressed = dropped && (alpha === null || p_value < alpha);
  return {
    name,
    baseline,
    candidate,
    delta: candidate - baseline,
    ci95,
    p_value,
    n: baseScores.length,
    regressed,
    below_min: belowMin(candidate),
    likely_noise: regressed && alpha === null && p_value >= NOISE_P,
    gate,
    ...gated
  };
}
function caseFlips(base, cand, metricNames, excluded) {
  if (!base) return { regressed: [], improved: [] };
  const regressed = [];
  const improved = [];
  for (const [id, candScores] of cand.cases) {
    const baseScores = base.cases.get(id);
    if (!baseScores || excluded.has(id)) continue;
    let drop = 0;
    let gain = 0;
    for (const name of metricNames) {
      const b = baseScores[name];
      const c = candScores[name];
      if (b === void 0 || c === void 0) continue;
      if (b - c > EPSILON) drop += b - c;
      else if (c - b > EPSILON) gain += c - b;
    }
    if (drop > 0) regressed.push({ id, drop });
    else if (gain > 0) improved.push({ id, gain });
  }
  return {
    regressed: regressed.sort((a, b) => b.drop - a.drop).map((r) => r.id),
    improved: improved.sort((a, b) => b.gain - a.gain).map((r) => r.id)
  };
}

// src/engine/evaluate/case-index.ts
var indexes = /* @__PURE__ */ new WeakMap();
function caseIndex(cases) {
  let index = indexes.get(cases);
  if (!index) indexes.set(cases, index = new PositionalCases(cases));
  return index;
}
var PositionalCases = class {
  constructor(cases) {
    this.cases = cases;
  }
  cases;
  byId;
  get length() {
    return this.cases.length;
  }
  at(position) {
    return this.cases.at(position);
  }
  position(id) {
    if (!this.byId) {
      this.byId = /* @__PURE__ */ new Map();
      let position = 0;
      for (const c of this.cases) this.byId.set(c.id, position++);
    }
    return this.byId.get(id);
  }
};

// src/engine/gate/verdict.ts
function promptStatus(metrics, error, hasBaseline) {
  if (error) return "error";
  if (metrics.some((m) => m.regressed)) return "regressed";
  if (metrics.some((m) => m.below_min)) return "below-min";
  return hasBaseline ? "pass" : "new";
}
function promptVerdict(p, policy) {
  const problems = [];
  if (p.status === "error") problems.push({ kind: "error", message: p.error ?? `${p.cases.errored.length} case(s) errored` });
  const regressed = p.metrics.filter((m) => m.regressed).map((m) => m.name);
  const belowMin = p.metrics.filter((m) => m.below_min && !m.regressed).map((m) => m.name);
  if (p.status !== "error" && regressed.length) problems.push({ kind: "regressed", metrics: regressed });
  if (p.status !== "error" && belowMin.length) problems.push({ kind: "below-min", metrics: belowMin });
  const gateMiss = problems.some((problem) => problem.kind !== "error");
  const waived = gateMiss ? policy.accept ? "accepted" : policy.failOnRegression ? null : "gate-off" : null;
  return { blocks: problems.some((problem) => problem.kind === "error") || gateMiss && waived === null, problems, waived };
}
function runResult(prompts, lint, errors) {
  const fails = errors.length > 0 || lint.some((f) => f.severity === "error") || prompts.some((p) => p.verdict.blocks);
  return fails ? "fail" : "pass";
}
function decide(prompts, lint, errors, policy) {
  const judged = prompts.map((p) => ({ ...p, verdict: promptVerdict(p, policy) }));
  return { prompts: judged, result: runResult(judged, lint, errors) };
}

// src/engine/lazy-list.ts
var LazyList = class {
  constructor(length, items) {
    this.length = length;
    this.items = items;
  }
  length;
  items;
  [Symbol.iterator]() {
    return this.items()[Symbol.iterator]();
  }
  toJSON() {
    return [...this];
  }
};

// src/engine/models/runner.ts
import { setTimeout as sleep } from "node:timers/promises";

// node_modules/yocto-queue/index.js
var Node = class {
  value;
  next;
  constructor(value) {
    this.value = value;
  }
};
var Queue = class {
  #head;
  #tail;
  #size;
  constructor() {
    this.clear();
  }
  enqueue(value) {
    const node = new Node(value);
    if (this.#head) {
      this.#tail.next = node;
      this.#tail = node;
    } else {
      this.#head = node;
      this.#tail = node;
    }
    this.#size++;
  }
  dequeue() {
    const current = this.#head;
    if (!current) {
      return;
    }
    this.#head = this.#head.next;
    this.#size--;
    if (!this.#head) {
      this.#tail = void 0;
    }
    return current.value;
  }
  peek() {
    if (!this.#head) {
      return;
    }
    return this.#head.value;
  }
  clear() {
    this.#head = void 0;
    this.#tail = void 0;
    this.#size = 0;
  }
  get size() {
    return this.#size;
  }
  *[Symbol.iterator]() {
    let current = this.#head;
    while (current) {
      yield current.value;
      current = current.next;
    }
  }
  *drain() {
    while (this.#head) {
      yield this.dequeue();
    }
  }
};

// node_modules/p-limit/index.js
function pLimit(concurrency) {
  let rejectOnClear = false;
  if (typeof concurrency === "object") {
    ({ concurrency, rejectOnClear = false } = concurrency);
  }
  validateConcurrency(concurrency);
  if (typeof rejectOnClear !== "boolean") {
    throw new TypeError("Expected `rejectOnClear` to be a boolean");
  }
  const queue = new Queue();
  let activeCount = 0;
  const resumeNext = () => {
    if (activeCount < concurrency && queue.size > 0) {
      activeCount++;
      queue.dequeue().run();
    }
  };
  const next = () => {
    activeCount--;
    resumeNext();
  };
  const run2 = async (function_, resolve2, arguments_) => {
    const result = (async () => function_(...arguments_))();
    resolve2(result);
    try {
      await result;
    } catch {
    }
    next();
  };
  const enqueue = (function_, resolve2, reject, arguments_) => {
    const queueItem = { reject };
    new Promise((internalResolve) => {
      queueItem.run = internalResolve;
      queue.enqueue(queueItem);
    }).then(run2.bind(void 0, function_, resolve2, arguments_));
    if (activeCount < concurrency) {
      resumeNext();
    }
  };
  const generator = (function_, ...arguments_) => new Promise((resolve2, reject) => {
    enqueue(function_, resolve2, reject, arguments_);
  });
  Object.defineProperties(generator, {
    activeCount: {
      get: () => activeCount
    },
    pendingCount: {
      get: () => queue.size
    },
    clearQueue: {
      value() {
        if (!rejectOnClear) {
          queue.clear();
          return;
        }
        const abortError = AbortSignal.abort().reason;
        while (queue.size > 0) {
          queue.dequeue().reject(abortError);
        }
      }
    },
    concurrency: {
      get: () => concurrency,
      set(newConcurrency) {
        validateConcurrency(newConcurrency);
        concurrency = newConcurrency;
        queueMicrotask(() => {
          while (activeCount < concurrency && queue.size > 0) {
            resumeNext();
          }
        });
      }
    },
    map: {
      async value(iterable, function_) {
        const promises = [];
        try {
          Array.from(iterable, (value, index) => {
            const promise = generator(function_, value, index);
            promises.push(promise);
            return promise;
          });
        } catch (error) {
          for (const promise of promises) {
            promise.catch(() => {
            });
          }
          throw error;
        }
        return Promise.all(promises);
      }
    }
  });
  return generator;
}
function validateConcurrency(concurrency) {
  if (!((Number.isInteger(concurrency) || concurrency === Number.POSITIVE_INFINITY) && concurrency > 0)) {
    throw new TypeError("Expected `concurrency` to be a number from 1 and up");
  }
}

// src/engine/models/cache.ts
import { access, readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
var FORMAT = 1;
var IO_CONCURRENCY = 32;
var ResponseCache = class {
  #dir;
  #io = pLimit(IO_CONCURRENCY);
  constructor(dir) {
    this.#dir = dir;
  }
  static key(parts) {
    return stableHash({ format: FORMAT, ...parts }).replace(/^sha256:/, "");
  }
  /** Path of the entry for `key` (exposed for tests and diagnostics). */
  pathOf(key) {
    return join(this.#dir, key.slice(0, 2), `${key}.json`);
  }
  /** Whether an entry exists, without reading it (for estimates before a run). */
  async has(key) {
    return this.#io(() => access(this.pathOf(key))).then(
      () => true,
      () => false
    );
  }
  async get(key) {
    let raw;
    try {
      raw = await this.#io(() => readFile(this.pathOf(key), "utf8"));
    } catch {
      return void 0;
    }
    return parseEntry(raw);
  }
  /**
   * Removes temporary files that a killed run left behind (`*.tmp` older than `before`,
   * the start of this run), so they neither pile up nor get saved by actions/cache.
   * Newer ones may belong to a run in progress beside this one, and are left alone.
   */
  async removeStaleTemps(before) {
    let shards;
    try {
      shards = await readdir(this.#dir);
    } catch {
      return;
    }
    for (const shard of shards) {
      let files;
      try {
        files = await readdir(join(this.#dir, shard));
      } catch {
        continue;
      }
      await Promise.all(
        files.filter((f) => f.endsWith(".tmp")).map(
          (f) => this.#io(async () => {
            const path = join(this.#dir, shard, f);
            try {
              if ((await stat(path)).mtimeMs < before) await rm(path, { force: true });
            } catch {
            }
          })
        )
      );
    }
  }
  /** Stores an entry atomically. Rejects when the directory cannot be written. */
  async set(key, value) {
    const body = JSON.stringify({ text: value.text, inputTokens: value.inputTokens, outputTokens: value.outputTokens });
    await this.#io(() => writeFileAtomic(this.pathOf(key), body));
  }
};
function parseEntry(raw) {
  let value;
  try {
    value = JSON.parse(raw);
  } catch {
    return void 0;
  }
  if (!value || typeof value !== "object") return void 0;
  const { text, inputTokens, outputTokens } = value;
  if (typeof text !== "string" || !isCount(inputTokens) || !isCount(outputTokens)) return void 0;
  return { text, inputTokens, outputTokens };
}
function isCount(n) {
  return typeof n === "number" && Number.isInteger(n) && n >= 0;
}

// src/engine/models/http-fetch.ts
import http2 from "node:http";
import https from "node:https";
import { Readable } from "node:stream";

// node_modules/https-proxy-agent/dist/index.js
var import_debug2 = __toESM(require_src(), 1);
import * as net2 from "net";
import * as tls from "tls";
import assert from "assert";

// node_modules/agent-base/dist/index.js
import * as net from "net";
import * as http from "http";
import { Agent as HttpsAgent } from "https";
var INTERNAL = /* @__PURE__ */ Symbol("AgentBaseInternalState");
var Agent2 = class extends http.Agent {
  constructor(opts) {
    super(opts);
    this[INTERNAL] = {};
  }
  /**
   * Determine whether this is an `http` or `https` request.
   */
  isSecureEndpoint(options) {
    if (options) {
      if (typeof options.secureEndpoint === "boolean") {
        return options.secureEndpoint;
      }
      if (typeof options.protocol === "string") {
        return options.protocol === "https:";
      }
    }
    const { stack } = new Error();
    if (typeof stack !== "string")
      return false;
    return stack.split("\n").some((l) => l.indexOf("(https.js:") !== -1 || l.indexOf("node:https:") !== -1);
  }
  // In order to support async signatures in `connect()` and Node's native
  // connection pooling in `http.Agent`, the array of sockets for each origin
  // has to be updated synchronously. This is so the length of the array is
  // accurate when `addRequest()` is next called. We achieve this by creating a
  // fake socket and adding it to `sockets[origin]` and incrementing
  // `totalSocketCount`.
  incrementSockets(name) {
    if (this.maxSockets === Infinity && this.maxTotalSockets === Infinity) {
      return null;
    }
    if (!this.sockets[name]) {
      this.sockets[name] = [];
    }
    const fakeSocket = new net.Socket({ writable: false });
    this.sockets[name].push(fakeSocket);
    this.totalSocketCount++;
    return fakeSocket;
  }
  decrementSockets(name, socket) {
    if (!this.sockets[name] || socket === null) {
      return;
    }
    const sockets = this.sockets[name];
    const index = sockets.indexOf(socket);
    if (index !== -1) {
      sockets.splice(index, 1);
      this.totalSocketCount--;
      if (sockets.length === 0) {
        delete this.sockets[name];
      }
    }
  }
  // In order to properly update the socket pool, we need to call `getName()` on
  // the core `https.Agent` if it is a secureEndpoint.
  getName(options) {
    const secureEndpoint = this.isSecureEndpoint(options);
    if (secureEndpoint) {
      return HttpsAgent.prototype.getName.call(this, options);
    }
    return super.getName(options);
  }
  createSocket(req, options, cb) {
    const connectOpts = {
      ...options,
      secureEndpoint: this.isSecureEndpoint(options)
    };
    const name = this.getName(connectOpts);
    const fakeSocket = this.incrementSockets(name);
    Promise.resolve().then(() => this.connect(req, connectOpts)).then((socket) => {
      this.decrementSockets(name, fakeSocket);
      if (typeof socket.addRequest === "function") {
        try {
          return socket.addRequest(req, connectOpts);
        } catch (err) {
          return cb(err);
        }
      }
      this[INTERNAL].currentSocket = socket;
      super.createSocket(req, options, cb);
    }, (err) => {
      this.decrementSockets(name, fakeSocket);
      cb(err);
    });
  }
  createConnection() {
    const socket = this[INTERNAL].currentSocket;
    this[INTERNAL].currentSocket = void 0;
    if (!socket) {
      throw new Error("No socket was returned in the `connect()` function");
    }
    return socket;
  }
  get defaultPort() {
    return this[INTERNAL].defaultPort ?? (this.protocol === "https:" ? 443 : 80);
  }
  set defaultPort(v) {
    if (this[INTERNAL]) {
      this[INTERNAL].defaultPort = v;
    }
  }
  get protocol() {
    return this[INTERNAL].protocol ?? (this.isSecureEndpoint() ? "https:" : "http:");
  }
  set protocol(v) {
    if (this[INTERNAL]) {
      this[INTERNAL].protocol = v;
    }
  }
};

// node_modules/https-proxy-agent/dist/index.js
import { URL as URL2 } from "url";

// node_modules/https-proxy-agent/dist/parse-proxy-response.js
var import_debug = __toESM(require_src(), 1);
var debug = (0, import_debug.default)("https-proxy-agent:parse-proxy-response");
function parseProxyResponse(socket) {
  return new Promise((resolve2, reject) => {
    let buffersLength = 0;
    const buffers = [];
    function read() {
      const b = socket.read();
      if (b)
        ondata(b);
      else
        socket.once("readable", read);
    }
    function cleanup() {
      socket.removeListener("end", onend);
      socket.removeListener("error", onerror);
      socket.removeListener("readable", read);
    }
    function onend() {
      cleanup();
      debug("onend");
      reject(new Error("Proxy connection ended before receiving CONNECT response"));
    }
    function onerror(err) {
      cleanup();
      debug("onerror %o", err);
      reject(err);
    }
    function ondata(b) {
      buffers.push(b);
      buffersLength += b.length;
      const buffered = Buffer.concat(buffers, buffersLength);
      const endOfHeaders = buffered.indexOf("\r\n\r\n");
      if (endOfHeaders === -1) {
        debug("have not received end of HTTP headers yet...");
        read();
        return;
      }
      const headerParts = buffered.slice(0, endOfHeaders).toString("ascii").split("\r\n");
      const firstLine = headerParts.shift();
      if (!firstLine) {
        socket.destroy();
        return reject(new Error("No header received from proxy CONNECT response"));
      }
      const firstLineParts = firstLine.split(" ");
      const statusCode = +firstLineParts[1];
      const statusText = firstLineParts.slice(2).join(" ");
      const headers = {};
      for (const header of headerParts) {
        if (!header)
          continue;
        const firstColon = header.indexOf(":");
        if (firstColon === -1) {
          socket.destroy();
          return reject(new Error(`Invalid header from proxy CONNECT response: "${header}"`));
        }
        const key = header.slice(0, firstColon).toLowerCase();
        const value = header.slice(firstColon + 1).trimStart();
        const current = headers[key];
        if (typeof current === "string") {
          headers[key] = [current, value];
        } else if (Array.isArray(current)) {
          current.push(value);
        } else {
          headers[key] = value;
        }
      }
      debug("got proxy server response: %o %o", firstLine, headers);
      cleanup();
      resolve2({
        connect: {
          statusCode,
          statusText,
          headers
        },
        buffered
      });
    }
    socket.on("error", onerror);
    socket.on("end", onend);
    read();
  });
}

// node_modules/proxy-agent-negotiate/dist/index.js
function createNegotiateAuth() {
  return async ({ response, scheme }) => {
    if (scheme.toLowerCase() !== "negotiate") {
      throw new Error(`Expected Negotiate scheme but got "${scheme}"`);
    }
    let kerberos;
    try {
      kerberos = await import("kerberos");
    } catch {
      throw new Error('The "kerberos" package is required for Negotiate proxy authentication. Install it with: npm install kerberos');
    }
    const proxyAuthenticate = response.headers["proxy-authenticate"] || "";
    const challengeHeader = Array.isArray(proxyAuthenticate) ? proxyAuthenticate[0] : proxyAuthenticate;
    const serverToken = typeof challengeHeader === "string" && challengeHeader.includes(" ") ? challengeHeader.split(" ").slice(1).join(" ") : void 0;
    const client = await kerberos.initializeClient("HTTP@proxy", {
      mechOID: kerberos.GSS_MECH_OID_SPNEGO
    });
    const token = await client.step(serverToken || "");
    if (!token) {
      throw new Error("Kerberos client.step() returned no token");
    }
    return {
      headers: {
        "Proxy-Authorization": `Negotiate ${token}`
      }
    };
  };
}

// node_modules/https-proxy-agent/dist/index.js
var debug2 = (0, import_debug2.default)("https-proxy-agent");
var setServernameFromNonIpHost = (options) => {
  if (options.servername === void 0 && options.host && !net2.isIP(options.host)) {
    return {
      ...options,
      servername: options.host
    };
  }
  return options;
};
var HttpsProxyAgent = class extends Agent2 {
  constructor(proxy, opts) {
    super(opts);
    this.options = { path: void 0 };
    this.proxy = typeof proxy === "string" ? new URL2(proxy) : proxy;
    this.proxyHeaders = opts?.headers ?? {};
    debug2("Creating new HttpsProxyAgent instance: %o", this.proxy.href);
    if (opts?.negotiate) {
      this.onProxyAuth = createNegotiateAuth();
    } else if (opts?.onProxyAuth) {
      this.onProxyAuth = opts.onProxyAuth;
    }
    const host = (this.proxy.hostname || this.proxy.host).replace(/^\[|\]$/g, "");
    const port = this.proxy.port ? parseInt(this.proxy.port, 10) : this.proxy.protocol === "https:" ? 443 : 80;
    this.connectOpts = {
      // Attempt to negotiate http/1.1 for proxy servers that support http/2
      ALPNProtocols: ["http/1.1"],
      ...opts ? omit(opts, "headers", "onProxyAuth", "negotiate") : null,
      host,
      port
    };
  }
  /**
   * Called when the node-core HTTP client library is creating a
   * new HTTP request.
   */
  async connect(req, opts) {
    const { proxy } = this;
    if (!opts.host) {
      throw new TypeError('No "host" provided');
    }
    let socket;
    if (proxy.protocol === "https:") {
      debug2("Creating `tls.Socket`: %o", this.connectOpts);
      socket = tls.connect(setServernameFromNonIpHost(this.connectOpts));
    } else {
      debug2("Creating `net.Socket`: %o", this.connectOpts);
      socket = net2.connect(this.connectOpts);
    }
    const headers = typeof this.proxyHeaders === "function" ? this.proxyHeaders() : { ...this.proxyHeaders };
    const host = net2.isIPv6(opts.host) ? `[${opts.host}]` : opts.host;
    let payload = `CONNECT ${host}:${opts.port} HTTP/1.1\r
`;
    if (proxy.username || proxy.password) {
      const auth = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
      headers["Proxy-Authorization"] = `Basic ${Buffer.from(auth).toString("base64")}`;
    }
    headers.Host = `${host}:${opts.port}`;
    if (!headers["Proxy-Connection"]) {
      headers["Proxy-Connection"] = this.keepAlive ? "Keep-Alive" : "close";
    }
    for (const name of Object.keys(headers)) {
      payload += `${name}: ${headers[name]}\r
`;
    }
    const proxyResponsePromise = parseProxyResponse(socket);
    socket.write(`${payload}\r
`);
    const { connect: connect3, buffered } = await proxyResponsePromise;
    req.emit("proxyConnect", connect3);
    this.emit("proxyConnect", connect3, req);
    req.emit("proxy", { proxy: this.proxy.href, socket });
    if (connect3.statusCode === 200) {
      req.once("socket", resume);
      if (opts.secureEndpoint) {
        debug2("Upgrading socket connection to TLS");
        return tls.connect({
          ...omit(setServernameFromNonIpHost(opts), "host", "path", "port"),
          socket
        });
      }
      return socket;
    }
    if (connect3.statusCode === 407 && this.onProxyAuth) {
      debug2("Got 407 response, invoking onProxyAuth callback");
      socket.destroy();
      const proxyAuthenticate = connect3.headers["proxy-authenticate"] || "";
      const scheme = Array.isArray(proxyAuthenticate) ? proxyAuthenticate[0].split(/\s/)[0] : proxyAuthenticate.split(/\s/)[0];
      const authResponse = await this.onProxyAuth({
        response: connect3,
        scheme
      });
      return this._connectWithAuth(req, opts, authResponse.headers);
    }
    socket.destroy();
    const fakeSocket = new net2.Socket({ writable: false });
    fakeSocket.readable = true;
    req.once("socket", (s) => {
      debug2("Replaying proxy buffer for failed request");
      assert(s.listenerCount("data") > 0);
      s.push(buffered);
      s.push(null);
    });
    return fakeSocket;
  }
  /**
   * Retry a CONNECT request with additional auth headers.
   */
  async _connectWithAuth(req, opts, authHeaders) {
    const { proxy } = this;
    let socket;
    if (proxy.protocol === "https:") {
      socket = tls.connect(setServernameFromNonIpHost(this.connectOpts));
    } else {
      socket = net2.connect(this.connectOpts);
    }
    const headers = typeof this.proxyHeaders === "function" ? this.proxyHeaders() : { ...this.proxyHeaders };
    const host = net2.isIPv6(opts.host) ? `[${opts.host}]` : opts.host;
    let payload = `CONNECT ${host}:${opts.port} HTTP/1.1\r
`;
    if (proxy.username || proxy.password) {
      const auth = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
      headers["Proxy-Authorization"] = `Basic ${Buffer.from(auth).toString("base64")}`;
    }
    Object.assign(headers, authHeaders);
    headers.Host = `${host}:${opts.port}`;
    if (!headers["Proxy-Connection"]) {
      headers["Proxy-Connection"] = this.keepAlive ? "Keep-Alive" : "close";
    }
    for (const name of Object.keys(headers)) {
      payload += `${name}: ${headers[name]}\r
`;
    }
    const proxyResponsePromise = parseProxyResponse(socket);
    socket.write(`${payload}\r
`);
    const { connect: connect3 } = await proxyResponsePromise;
    req.emit("proxyConnect", connect3);
    this.emit("proxyConnect", connect3, req);
    if (connect3.statusCode === 200) {
      req.once("socket", resume);
      if (opts.secureEndpoint) {
        debug2("Upgrading socket connection to TLS");
        return tls.connect({
          ...omit(setServernameFromNonIpHost(opts), "host", "path", "port"),
          socket
        });
      }
      return socket;
    }
    socket.destroy();
    throw new Error(`Proxy authentication failed with status ${connect3.statusCode} after retry`);
  }
};
HttpsProxyAgent.protocols = ["http", "https"];
function resume(socket) {
  setImmediate(() => {
    socket.resume();
  });
}
function omit(obj, ...keys) {
  const ret = {};
  let key;
  for (key in obj) {
    if (!keys.includes(key)) {
      ret[key] = obj[key];
    }
  }
  return ret;
}

// src/engine/models/http-response.ts
var UTF8 = new TextDecoder();
var HIGH_WATER_MARK = 64 * 1024;
var NodeResponse = class {
  constructor(status, statusText, headers, url, incoming) {
    this.status = status;
    this.statusText = statusText;
    this.headers = headers;
    this.incoming = incoming;
    this.url = url.href;
  }
  status;
  statusText;
  headers;
  incoming;
  type = "basic";
  url;
  redirected = false;
  #stream = null;
  #used = false;
  get ok() {
    return this.status >= 200 && this.status <= 299;
  }
  get body() {
    if (!this.incoming) return null;
    return this.#stream ??= this.incoming.stream();
  }
  /** Read through this response, or its stream held by a reader (a web stream does not tell whether it was read). */
  get bodyUsed() {
    return this.#used || (this.#stream?.locked ?? false);
  }
  async arrayBuffer() {
    const bytes = await this.#bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }
  async bytes() {
    return new Uint8Array(await this.arrayBuffer());
  }
  async text() {
    return UTF8.decode(await this.#bytes());
  }
  async json() {
    return JSON.parse(await this.text());
  }
  async blob() {
    return new Blob([await this.#bytes()], { type: this.headers.get("content-type") ?? "" });
  }
  async formData() {
    return this.#asWebResponse(await this.#bytes()).formData();
  }
  clone() {
    if (this.bodyUsed) throw new TypeError("Response.clone: Body has already been consumed.");
    const [mine, theirs] = this.body?.tee() ?? [null, null];
    this.#stream = mine;
    return this.#asWebResponse(theirs);
  }
  #bytes() {
    if (this.bodyUsed) return Promise.reject(new TypeError("Body is unusable: Body has already been read"));
    this.#used = true;
    if (!this.incoming) return Promise.resolve(Buffer.alloc(0));
    if (this.#stream) return new Response(this.#stream).arrayBuffer().then((bytes) => Buffer.from(bytes));
    return this.incoming.whole();
  }
  #asWebResponse(body) {
    return new Response(body, { status: this.status, statusText: this.statusText, headers: this.headers });
  }
};
var IncomingBody = class {
  constructor(res, signal, timeoutMs) {
    this.res = res;
    const idle = timeoutMs ? setTimeout(() => res.destroy(socketError(`no response data for ${timeoutMs} ms`, "ETIMEDOUT")), timeoutMs) : void 0;
    const settle = (outcome) => {
      if (this.#outcome !== "open") return;
      this.#outcome = outcome;
      this.#reader?.settled();
    };
    const fail = (err) => settle({ error: signal?.aborted ? signal.reason : new TypeError("terminated", { cause: err }) });
    res.on("data", (chunk) => {
      idle?.refresh();
      if (this.#reader) return this.#reader.data(chunk);
      this.#chunks.push(chunk);
      this.#buffered += chunk.byteLength;
      if (this.#buffered >= HIGH_WATER_MARK) res.pause();
    });
    res.once("end", () => settle("ended"));
    res.on("error", fail);
    res.once("close", () => {
      clearTimeout(idle);
      if (!res.complete) fail(socketError("the response ended before its body was complete", "ERR_STREAM_PREMATURE_CLOSE"));
    });
  }
  res;
  #chunks = [];
  #buffered = 0;
  #outcome = "open";
  #reader;
  whole() {
    return new Promise((resolve2, reject) => {
      const settled = () => {
        const outcome = this.#outcome;
        if (outcome === "ended") resolve2(Buffer.concat(this.#chunks));
        else if (outcome !== "open") reject(outcome.error);
      };
      this.#reader = { data: (chunk) => this.#chunks.push(chunk), settled };
      settled();
      this.res.resume();
    });
  }
  stream() {
    const { res } = this;
    return new ReadableStream(
      {
        start: (controller) => {
          for (const chunk of this.#chunks.splice(0)) controller.enqueue(chunk);
          const settled = () => {
            const outcome = this.#outcome;
            if (outcome === "ended") controller.close();
            else if (outcome !== "open") controller.error(outcome.error);
          };
          this.#reader = {
            data: (chunk) => {
              controller.enqueue(chunk);
              if ((controller.desiredSize ?? 0) <= 0) res.pause();
            },
            settled
          };
          settled();
        },
        pull: () => {
          res.resume();
        },
        cancel: () => {
          this.#reader = void 0;
          res.destroy();
        }
      },
      { highWaterMark: HIGH_WATER_MARK, size: (chunk) => chunk.byteLength }
    );
  }
};
function socketError(message, code) {
  return Object.assign(new Error(message), { code });
}

// src/engine/models/http-fetch.ts
var NULL_BODY_STATUSES = /* @__PURE__ */ new Set([101, 103, 204, 205, 304]);
function createHttpFetch({ env, bodyTimeoutMs }) {
  const agents = /* @__PURE__ */ new Map();
  const agentOfOrigin = /* @__PURE__ */ new Map();
  const agentFor = (url) => {
    const origin = `${url.protocol}//${url.host}`;
    const known = agentOfOrigin.get(origin);
    if (known) return known;
    const proxy = proxyFor(url, env);
    const key = `${url.protocol}${proxy ?? ""}`;
    let agent = agents.get(key);
    if (!agent) {
      const options = { keepAlive: true, scheduling: "lifo" };
      agent = proxy ? new HttpsProxyAgent(proxy, options) : url.protocol === "https:" ? new https.Agent(options) : new http2.Agent(options);
      agents.set(key, agent);
    }
    agentOfOrigin.set(origin, agent);
    return agent;
  };
  return async (input, init = {}) => {
    const request = input instanceof Request ? input : void 0;
    const url = new URL(request ? request.url : String(input));
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError(`fetch failed: unsupported protocol ${url.protocol}`);
    const signal = init.signal ?? request?.signal ?? void 0;
    signal?.throwIfAborted();
    const method = (init.method ?? request?.method ?? "GET").toUpperCase();
    const given = init.headers ?? request?.headers;
    const headers = given instanceof Headers ? given : new Headers(given);
    const { body, contentType } = await encodeBody(init.body ?? request?.body ?? null);
    return new Promise((resolve2, reject) => {
      const req = (url.protocol === "https:" ? https : http2).request(url, {
        method,
        headers: outgoingHeaders(headers, contentType),
        agent: agentFor(url)
      });
      const onAbort = () => req.destroy(signal?.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      const release = () => signal?.removeEventListener("abort", onAbort);
      req.on("error", (err) => {
        release();
        reject(signal?.aborted ? signal.reason : new TypeError("fetch failed", { cause: err }));
      });
      req.once("response", (res) => {
        res.once("close", release);
        const responseHeaders = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) responseHeaders.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        const status = res.statusCode ?? 0;
        const empty = method === "HEAD" || NULL_BODY_STATUSES.has(status);
        if (empty) res.resume();
        const body2 = empty ? null : new IncomingBody(res, signal, bodyTimeoutMs);
        resolve2(new NodeResponse(status, res.statusMessage ?? "", responseHeaders, url, body2));
      });
      if (body instanceof Readable) {
        body.once("error", (err) => req.destroy(err));
        body.pipe(req);
      } else {
        req.end(body);
      }
    });
  };
}
async function encodeBody(body) {
  if (body === null || body === void 0) return { body: void 0 };
  if (typeof body === "string") return { body };
  if (body instanceof ArrayBuffer) return { body: new Uint8Array(body) };
  if (ArrayBuffer.isView(body)) return { body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  const encoded = new Request("http://body.invalid/", { method: "POST", body, duplex: "half" });
  const contentType = encoded.headers.get("content-type");
  if (body instanceof Blob || body instanceof FormData || body instanceof URLSearchParams) {
    return { body: new Uint8Array(await encoded.arrayBuffer()), contentType };
  }
  return { body: encoded.body ? Readable.fromWeb(encoded.body) : void 0, contentType };
}
function outgoingHeaders(headers, contentType) {
  const out = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  if (contentType && out["content-type"] === void 0) out["content-type"] = contentType;
  return out;
}
function proxyFor(url, env) {
  const scheme = url.protocol === "https:" ? "https" : "http";
  const proxy = (env[`${scheme}_proxy`] || env[`${scheme.toUpperCase()}_PROXY`])?.trim();
  if (!proxy) return void 0;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (isLoopback(host)) return void 0;
  const port = url.port || (scheme === "https" ? "443" : "80");
  const noProxy = (env["no_proxy"] ?? env["NO_PROXY"] ?? "").split(/[\s,]+/).map((entry) => entry.trim().toLowerCase()).filter(Boolean);
  for (const entry of noProxy) {
    if (entry === "*") return void 0;
    const match = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[|\](?=:|$)/g, ""));
    const domain = match[1].replace(/^\*?\./, "");
    if (match[2] && match[2] !== port) continue;
    if (host === domain || host.endsWith(`.${domain}`)) return void 0;
  }
  return proxy.includes("://") ? proxy : `http://${proxy}`;
}
function isLoopback(host) {
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

// src/engine/models/retry.ts
var BASE_DELAY_MS = 500;
var MAX_BACKOFF_MS = 2e4;
var MAX_RETRY_AFTER_MS = 6e4;
var MALFORMED_RETRIES = 2;
function isRetryableStatus(status) {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
function isRetryable(failure2, malformedSoFar) {
  switch (failure2.kind) {
    case "http":
      return isRetryableStatus(failure2.status) && (failure2.retryAfterMs ?? 0) <= MAX_RETRY_AFTER_MS;
    case "connection":
    case "timeout":
      return true;
    case "malformed":
      return malformedSoFar <= MALFORMED_RETRIES;
  }
}
function retryDelayMs(failure2, retry, random = Math.random) {
  if (failure2.kind === "http" && failure2.retryAfterMs !== void 0) {
    return failure2.retryAfterMs * (1 + 0.2 * random());
  }
  return random() * Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** retry);
}
function parseRetryAfter(headers, now = Date.now()) {
  if (!headers) return void 0;
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return void 0;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1e3;
  const date = Date.parse(value);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return void 0;
}

// src/engine/models/clients.ts
var AttemptError = class extends Error {
  constructor(failure2) {
    super(failure2.kind === "timeout" ? "timed out" : failure2.message);
    this.failure = failure2;
    this.name = "AttemptError";
  }
  failure;
};
var DEFAULT_TIMEOUT_MS = 6e4;
var ANTHROPIC_DEFAULT_MAX_TOKENS = 1024;
var DEFAULTS = {
  openai: { keyEnv: "OPENAI_API_KEY", baseUrlEnv: "OPENAI_BASE_URL", baseUrl: "https://api.openai.com/v1" },
  anthropic: { keyEnv: "ANTHROPIC_API_KEY", baseUrlEnv: "ANTHROPIC_BASE_URL", baseUrl: "https://api.anthropic.com" }
};
function apiKeyEnvOf(provider) {
  return provider.api_key_env ?? DEFAULTS[provider.type].keyEnv;
}
function baseUrlOf(provider, env) {
  const defaults = DEFAULTS[provider.type];
  return provider.base_url || env[defaults.baseUrlEnv] || defaults.baseUrl;
}
function effectiveParams(type, params) {
  const { stream: _stream, ...rest } = params;
  if (type === "anthropic" && rest["max_tokens"] === void 0) rest["max_tokens"] = ANTHROPIC_DEFAULT_MAX_TOKENS;
  return rest;
}
function createClient(provider, apiKey, baseURL, env) {
  const timeoutMs = provider.timeout_ms ?? DEFAULT_TIMEOUT_MS;
  const common = { apiKey, baseURL, maxRetries: 0, timeout: timeoutMs, fetch: createHttpFetch({ env, bodyTimeoutMs: timeoutMs }) };
  const client = provider.type === "openai" ? import("./openai-HUME3K73.js").then(
    (sdk) => openaiClient(
      sdk,
      new sdk.OpenAI({ ...common, organization: null, project: null, adminAPIKey: null, webhookSecret: null }),
      timeoutMs
    )
  ) : import("./sdk-EMVYT4BD.js").then(
    (sdk) => anthropicClient(sdk, new sdk.Anthropic({ ...common, authToken: null, webhookKey: null }), timeoutMs)
  );
  client.catch(() => void 0);
  return { complete: async (...args) => (await client).complete(...args) };
}
function openaiClient(errors, sdk, timeoutMs) {
  return {
    async complete(model, params, messages) {
      const body = await attempt(
        errors,
        timeoutMs,
        (signal) => sdk.chat.completions.create({ ...params, model, messages, stream: false }, {
          signal
        })
      );
      const choice = body?.choices?.[0];
      const message = choice?.message;
      if (!message || typeof message !== "object") throw malformed("no choices[0].message in the response");
      const text = typeof message.content === "string" ? message.content : message.refusal ?? (message.content === null ? "" : void 0);
      if (typeof text !== "string") throw malformed("choices[0].message.content is not text");
      const usage = body.usage;
      return { text, inputTokens: count2(usage?.prompt_tokens), outputTokens: count2(usage?.completion_tokens) };
    }
  };
}
function anthropicClient(errors, sdk, timeoutMs) {
  return {
    async complete(model, params, messages) {
      const system = messages.filter((m) => m.role === "system").map((m) => m.content);
      const request = {
        ...params,
        model,
        ...system.length > 0 ? { system: system.join("\n\n") } : {},
        messages: messages.filter((m) => m.role !== "system"),
        stream: false
      };
      const body = await attempt(errors, timeoutMs, (signal) => sdk.messages.create(request, { signal }));
      const content = body?.content;
      if (!Array.isArray(content)) throw malformed("no content array in the response");
      const text = content.map((block) => block?.type === "text" && typeof block.text === "string" ? block.text : "").join("");
      const usage = body.usage;
      return { text, inputTokens: count2(usage?.input_tokens), outputTokens: count2(usage?.output_tokens) };
    }
  };
}
async function attempt(errors, timeoutMs, call) {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  try {
    return await call(deadline.signal);
  } catch (err) {
    throw new AttemptError(deadline.signal.aborted ? { kind: "timeout" } : classify(errors, err));
  } finally {
    clearTimeout(timer);
  }
}
function classify(errors, err) {
  if (err instanceof errors.APIConnectionTimeoutError) return { kind: "timeout" };
  if (err instanceof errors.APIError && err.status !== void 0) {
    const retryAfterMs = parseRetryAfter(err.headers);
    return {
      kind: "http",
      status: err.status,
      message: oneLine(serverMessage(err)),
      ...retryAfterMs !== void 0 ? { retryAfterMs } : {}
    };
  }
  if (err instanceof errors.APIConnectionError || isTransportFailure(err)) return { kind: "connection", message: oneLine(causeOf(err)) };
  if (err instanceof SyntaxError) return { kind: "malformed", message: `response is not valid JSON (${oneLine(err.message)})` };
  throw err;
}
var TRANSPORT_CODES = /* @__PURE__ */ new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ENETRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ERR_STREAM_PREMATURE_CLOSE",
  "HPE_INVALID_CONSTANT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH"
]);
var TRANSPORT_MESSAGES = /^(terminated|socket hang up|other side closed|premature close)$/i;
function isTransportFailure(err) {
  const seen = /* @__PURE__ */ new Set();
  for (let e = err; e instanceof Error && !seen.has(e); e = e.cause) {
    seen.add(e);
    const code = e.code;
    if (typeof code === "string" && TRANSPORT_CODES.has(code)) return true;
    if (TRANSPORT_MESSAGES.test(e.message.trim())) return true;
  }
  return false;
}
function serverMessage(err) {
  const body = err.error;
  const message = body?.message ?? body?.error?.message;
  return typeof message === "string" ? message : err.message.replace(/^\d{3}\s*/, "");
}
function causeOf(err) {
  if (!(err instanceof Error)) return String(err);
  let root = err;
  for (let depth = 0; root.cause instanceof Error && depth < 10; depth++) root = root.cause;
  if (root === err) return err.message;
  const code = root.code;
  return typeof code === "string" && !root.message.includes(code) ? `${code}: ${root.message}` : root.message;
}
function malformed(message) {
  return new AttemptError({ kind: "malformed", message });
}
function count2(n) {
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? Math.round(n) : 0;
}
function oneLine(text, max = 200) {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}\u2026` : line;
}

// src/engine/models/runner.ts
var DEFAULT_MAX_RETRIES = 4;
var ESTIMATE_CHUNK = 256;
var ESTIMATED_OUTPUT_TOKENS = 512;
var ModelCallError = class extends Error {
  status;
  attempts;
  constructor(message, attempts, status) {
    super(message);
    this.name = "ModelCallError";
    this.attempts = attempts;
    if (status !== void 0) this.status = status;
  }
};
var MissingKeyError = class extends Error {
  constructor(key) {
    super(`no API key for provider '${key.provider}': ${key.env} is not set`);
    this.key = key;
    this.name = "MissingKeyError";
  }
  key;
};
var BudgetExceededError = class extends UserError {
  constructor(message) {
    super(message);
    this.name = "BudgetExceededError";
  }
};
function zeroUsage() {
  return { calls: 0, retries: 0, cached: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 };
}
var ModelRunner = class {
  usage = zeroUsage();
  #opts;
  #global;
  #budget;
  #cache;
  #providers = /* @__PURE__ */ new Map();
  #inFlight = 0;
  #peakInFlight = 0;
  #reservedCost = 0;
  /** Set when the estimate already exceeds the budget: every network call is refused, cache hits still answer. */
  #refusal;
  constructor(opts) {
    this.#opts = opts;
    this.#global = pLimit(opts.concurrency ?? opts.config.concurrency);
    this.#budget = opts.budget ?? opts.config.budget;
    if (opts.cacheDir !== void 0) this.#cache = new ResponseCache(opts.cacheDir);
  }
  /** Whether the run has a budget at all (without one, nothing needs estimating). */
  get hasBudget() {
    return this.#budget.max_calls !== void 0 || this.#budget.max_cost_usd !== void 0;
  }
  /** The global limit on requests in flight. */
  get concurrency() {
    return this.#global.concurrency;
  }
  /** Largest number of requests that were in flight at once. */
  get peakInFlight() {
    return this.#peakInFlight;
  }
  /** Removes what killed runs left in the cache: temporary files older than `before` (this run's start). */
  async removeStaleCacheTemps(before) {
    await this.#cache?.removeStaleTemps(before);
  }
  /** Makes the clients of these providers ahead of the first call, so their SDKs load meanwhile; unknown names are assertReady's to report. */
  warmUp(providers) {
    for (const name of providers) if (Object.hasOwn(this.#opts.config.providers, name)) this.#provider(name);
  }
  /** Throws a UserError for a provider that promptgate.yaml does not declare, before any call. */
  assertReady(providers) {
    for (const name of providers) this.#provider(name);
  }
  /** The providers among `providers` that have no API key, so their calls would be refused. */
  missingKeys(providers) {
    return [...providers].map((name) => this.#provider(name)).filter((provider) => !provider.client).map((provider) => ({ provider: provider.name, env: apiKeyEnvOf(provider.config) }));
  }
  /**
   * Before any call: how many requests the cache answers, and for the rest the calls, the
   * input tokens (about 4 characters each) and output tokens (max_tokens) and their cost.
   * Throws BudgetExceededError when the calls alone exceed `max_calls`; from then on every
   * network call is refused, so nothing is spent, while cache hits still answer.
   */
  async estimate(requests) {
    const estimate = { calls: 0, cached: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, observed: 0 };
    const longest = /* @__PURE__ */ new Map();
    const uncached = /* @__PURE__ */ new Map();
    const look = async (req) => {
      const { provider, params, key } = this.#prepare(req);
      const hit = this.#cache && key ? await this.#cache.get(key) : void 0;
      if (hit) {
        estimate.cached += 1;
        longest.set(req.model, Math.max(longest.get(req.model) ?? 0, hit.outputTokens));
        return;
      }
      if (!provider.client) return;
      const bound = this.#upperBound(req, params);
      const group = `${req.model}
${bound.output}`;
      const sum = uncached.get(group) ?? { model: req.model, output: bound.output, calls: 0, input: 0 };
      sum.calls += 1;
      sum.input += bound.input;
      uncached.set(group, sum);
    };
    let chunk = [];
    for (const req of requests) {
      chunk.push(look(req));
      if (chunk.length === ESTIMATE_CHUNK) {
        await Promise.all(chunk);
        chunk = [];
      }
    }
    await Promise.all(chunk);
    for (const { model, output: bound, calls, input } of uncached.values()) {
      const seen = longest.get(model);
      const output = seen !== void 0 && seen < bound ? seen : bound;
      if (output !== bound) estimate.observed += calls;
      estimate.calls += calls;
      estimate.inputTokens += input;
      estimate.outputTokens += output * calls;
      estimate.costUsd += costOf(model, input, output * calls, this.#opts.config.pricing);
    }
    const { max_calls } = this.#budget;
    if (max_calls !== void 0 && estimate.calls > max_calls) {
      throw this.#refusal = new BudgetExceededError(
        `budget exceeded before any call: this run needs ${estimate.calls} model calls (${estimate.cached} more are cached) but max_calls is ${max_calls}; raise \`budget.max_calls\` in promptgate.yaml, or evaluate fewer prompts`
      );
    }
    return estimate;
  }
  async complete(req) {
    const { provider, params, key } = this.#prepare(req);
    if (this.#cache && key) {
      const started = performance.now();
      const hit = await this.#cache.get(key);
      if (hit) {
        this.usage.cached += 1;
        return { ...hit, latencyMs: performance.now() - started, costUsd: 0, cached: true };
      }
    }
    const client = provider.client;
    if (!client) throw new MissingKeyError({ provider: provider.name, env: apiKeyEnvOf(provider.config) });
    const reserve = this.#upperBound(req, params).cost;
    const network = () => this.#global(() => this.#callWithRetries(provider, client, req.model, params, req.messages, reserve));
    const { completion, latencyMs } = await (provider.limit ? provider.limit(network) : network());
    const costUsd = costOf(req.model, completion.inputTokens, completion.outputTokens, this.#opts.config.pricing);
    this.usage.input_tokens += completion.inputTokens;
    this.usage.output_tokens += completion.outputTokens;
    this.usage.cost_usd += costUsd;
    if (this.#cache && key) {
      try {
        await this.#cache.set(key, completion);
      } catch (err) {
        throw new UserError(
          `cannot write the response cache in ${this.#opts.cacheDir}: ${err.message}; fix \`cache:\` in promptgate.yaml or run without the cache`
        );
      }
    }
    return { ...completion, latencyMs, costUsd, cached: false };
  }
  async #callWithRetries(provider, client, model, params, messages, reserve) {
    this.#checkBudget(reserve);
    this.#inFlight += 1;
    this.#reservedCost += reserve;
    this.#peakInFlight = Math.max(this.#peakInFlight, this.#inFlight);
    try {
      const maxAttempts = 1 + (provider.config.max_retries ?? DEFAULT_MAX_RETRIES);
      let malformed2 = 0;
      for (let attempt2 = 1; ; attempt2 += 1) {
        const started = performance.now();
        try {
          const completion = await client.complete(model, params, messages);
          this.usage.calls += 1;
          return { completion, latencyMs: performance.now() - started };
        } catch (err) {
          if (!(err instanceof AttemptError)) throw err;
          const failure2 = err.failure;
          if (failure2.kind === "malformed") malformed2 += 1;
          if (attempt2 >= maxAttempts || !isRetryable(failure2, malformed2)) {
            throw new ModelCallError(
              failureMessage(provider, model, failure2, attempt2),
              attempt2,
              failure2.kind === "http" ? failure2.status : void 0
            );
          }
          this.usage.retries += 1;
          await sleep(retryDelayMs(failure2, attempt2 - 1));
        }
      }
    } finally {
      this.#inFlight -= 1;
      this.#reservedCost -= reserve;
    }
  }
  /** Tokens (input about 4 characters each, output its max_tokens) and the cost they would have at most. */
  #upperBound(req, params) {
    const input = Math.ceil(req.messages.reduce((n, m) => n + m.content.length, 0) / 4);
    const maxTokens = params["max_tokens"] ?? params["max_completion_tokens"];
    const output = typeof maxTokens === "number" ? maxTokens : ESTIMATED_OUTPUT_TOKENS;
    return { input, output, cost: costOf(req.model, input, output, this.#opts.config.pricing) };
  }
  #prepare(req) {
    const provider = this.#provider(req.provider);
    const params = effectiveParams(provider.config.type, req.params);
    if (!this.#cache) return { provider, params };
    const key = ResponseCache.key({
      type: provider.config.type,
      baseUrl: provider.baseUrl,
      model: req.model,
      params,
      messages: req.messages,
      sample: req.sample
    });
    return { provider, params, key };
  }
  /** Called inside the limits, right before the network: in-flight requests count as calls. */
  #checkBudget(reserve) {
    if (this.#refusal) throw this.#refusal;
    const { max_calls, max_cost_usd } = this.#budget;
    if (max_calls !== void 0 && this.usage.calls + this.#inFlight + 1 > max_calls) {
      throw new BudgetExceededError(
        `budget exceeded: max_calls is ${max_calls} and ${this.usage.calls} calls were made (${this.#inFlight} more in flight); raise \`budget.max_calls\` in promptgate.yaml`
      );
    }
    if (max_cost_usd !== void 0 && this.usage.cost_usd + this.#reservedCost + reserve > max_cost_usd) {
      throw new BudgetExceededError(
        `budget exceeded: max_cost_usd is $${max_cost_usd} and $${this.usage.cost_usd.toFixed(4)} was spent; the next call could cost up to $${(this.#reservedCost + reserve).toFixed(4)} with the calls in flight; raise \`budget.max_cost_usd\` in promptgate.yaml or max-cost-usd (the input or the flag)`
      );
    }
  }
  #provider(name) {
    const known = this.#providers.get(name);
    if (known) return known;
    const providers = this.#opts.config.providers;
    const config = Object.hasOwn(providers, name) ? providers[name] : void 0;
    if (!config) {
      throw new UserError(
        `unknown provider '${name}': declare it under \`providers:\` in promptgate.yaml (known: ${Object.keys(providers).join(", ")})`
      );
    }
    const apiKey = this.#opts.env[apiKeyEnvOf(config)];
    const baseUrl = baseUrlOf(config, this.#opts.env);
    const runtime = {
      name,
      config,
      baseUrl,
      ...apiKey ? { client: createClient(config, apiKey, baseUrl, this.#opts.env) } : {}
    };
    if (config.concurrency !== void 0) runtime.limit = pLimit(config.concurrency);
    this.#providers.set(name, runtime);
    return runtime;
  }
};
function failureMessage(provider, model, failure2, attempts) {
  const who = `${provider.name} ${model}`;
  const tries = attempts === 1 ? "1 attempt" : `${attempts} attempts`;
  switch (failure2.kind) {
    case "timeout":
      return `${who}: no response within ${provider.config.timeout_ms ?? DEFAULT_TIMEOUT_MS} ms after ${tries}; raise timeout_ms for provider '${provider.name}' in promptgate.yaml if the model is slow`;
    case "connection":
      return `${who}: connection to ${provider.baseUrl} failed after ${tries}: ${failure2.message}`;
    case "malformed":
      return `${who}: malformed response after ${tries}: ${failure2.message}; check that ${provider.baseUrl} speaks the ${provider.config.type} API`;
    case "http":
      return `${who}: ${httpMessage(provider, failure2, tries)}`;
  }
}
function httpMessage(provider, failure2, tries) {
  const { status, message } = failure2;
  const detail = message ? ` (${message})` : "";
  if (status === 401) return `401 unauthorized${detail}; check the key in ${apiKeyEnvOf(provider.config)}`;
  if (status === 403) return `403 forbidden${detail}; check that the key in ${apiKeyEnvOf(provider.config)} may use this model`;
  if (status === 404) return `404 not found${detail}; check the model name and the provider's base_url (${provider.baseUrl})`;
  if (failure2.retryAfterMs !== void 0 && failure2.retryAfterMs > MAX_RETRY_AFTER_MS) {
    return `${status}: the server asked to retry after ${Math.round(failure2.retryAfterMs / 1e3)} s, longer than promptgate waits (${MAX_RETRY_AFTER_MS / 1e3} s)${detail}`;
  }
  if (isRetryableStatus(status)) return `${status} after ${tries}${detail}`;
  return `${status}${detail}; check the model's parameters in the prompt file`;
}

// src/engine/gate/prompt-report.ts
var NOTHING_EVALUATED = { samples: [], cases: caseIndex([]), repeat: 1 };
function buildPromptReport({ affected, prompt, gateDefaults, candidate, baseline, error }) {
  const metricNames = prompt.suite.metrics.map((m) => m.name);
  const gateFor = (metric) => ({ ...gateDefaults, ...prompt.suite.gate[metric] });
  const evaluated = candidate ?? NOTHING_EVALUATED;
  const samples = evaluated.samples;
  const baseSamples = baseline?.samples ?? [];
  const table = scoreTable(evaluated, metricNames);
  const usage = zeroUsage();
  const cand = sideSummary(samples, usage, { latency: true });
  const base = sideSummary(baseSamples, usage);
  const errored = cand.erroredCases;
  const baseErrored = base.erroredCases;
  const excluded = baseline ? [.../* @__PURE__ */ new Set([...errored, ...baseErrored])] : [];
  const nondeterministic = isNondeterministic(prompt.model.params, prompt.suite.repeat);
  const comparison = candidate ? compareTables(baseline?.table, table, metricNames, gateFor, prompt.name, { excluded: new Set(excluded), nondeterministic }) : void 0;
  const maxErrorRate = prompt.suite.gate["error_rate"]?.max_error_rate ?? gateDefaults.max_error_rate ?? 0;
  const missingKeys = [...new Map([...cand.missingKeys, ...base.missingKeys].map((k) => [k.provider, k])).values()];
  const sideErrors = [sideError("", cand, maxErrorRate), sideError("production (the base version, rerun): ", base, maxErrorRate)].filter(
    (e) => e !== void 0
  );
  const runError = error ?? (missingKeys.length && (errored.length || baseErrored.length) ? `${missingKeys.map((k) => `no API key for provider '${k.provider}' (${k.env} is not set)`).join("; ")}: ${plural(cand.errors + base.errors, "sample")} could not be evaluated, the others were answered by the response cache` : sideErrors.length ? sideErrors.join("; ") : void 0);
  const metrics = comparison?.metrics ?? [];
  const status = promptStatus(metrics, runError, baseline !== void 0);
  const regressed = comparison?.regressed ?? [];
  const improved = comparison?.improved ?? [];
  return {
    name: prompt.name,
    file: prompt.file,
    change: affected.change,
    status,
    version: { base: baseline?.version ?? affected.base?.version ?? null, head: prompt.version },
    model: prompt.model.name,
    baseline: { source: baseline?.source ?? "none" },
    metrics,
    cases: { regressed, improved, errored, base_errored: baseErrored, excluded },
    // Every compared case, changed ones first: the markdown shows the changed, the HTML report all.
    details: caseDetails([regressed, improved, errored, baseErrored], evaluated, table, baseline),
    usage: roundedUsage(usage),
    latency_ms: cand.latency,
    samples_per_case: prompt.suite.repeat,
    samples: samples.length,
    error_rate: cand.errorRate,
    ...baseline?.samples ? { base_samples: baseSamples.length, base_error_rate: base.errorRate } : {},
    ...runError ? { error: runError } : {},
    ...missingKeys.length ? { missing_keys: missingKeys } : {},
    nondeterministic
  };
}
function sideSummary(samples, usage, wants = {}) {
  const erroredCases = /* @__PURE__ */ new Set();
  const missingKeys = /* @__PURE__ */ new Map();
  const latencies = wants.latency ? new Float64Array(samples.length) : void 0;
  let live = 0;
  let errors = 0;
  let firstError;
  for (const s of samples) {
    if (s.cached) usage.cached++;
    else if (!s.error || s.output) usage.calls++;
    usage.input_tokens += s.inputTokens;
    usage.output_tokens += s.outputTokens;
    usage.cost_usd += s.costUsd;
    if (s.error) {
      errors++;
      firstError ??= s.error;
      erroredCases.add(s.caseId);
    } else if (latencies && !s.cached) latencies[live++] = s.latencyMs;
    if (s.missingKey) missingKeys.set(s.missingKey.provider, s.missingKey);
  }
  return {
    erroredCases: [...erroredCases],
    errors,
    errorRate: samples.length ? errors / samples.length : 0,
    ...firstError !== void 0 && { firstError },
    missingKeys: [...missingKeys.values()],
    ...latencies && { latency: latencyQuantiles(samples, latencies.subarray(0, live)) }
  };
}
function sideError(side, summary2, maxErrorRate) {
  if (summary2.errorRate <= maxErrorRate) return void 0;
  return `${side}${(summary2.errorRate * 100).toFixed(1)}% of samples failed (max_error_rate ${maxErrorRate}); first error: ${summary2.firstError}`;
}
function removedPromptReport(affected) {
  return notEvaluatedReport(affected, { status: "removed", version: { base: affected.base?.version ?? null, head: null } });
}
function notEvaluatedReport(affected, outcome) {
  const described = affected.head ?? affected.base;
  return {
    name: affected.name,
    file: affected.file,
    change: affected.change,
    status: outcome.status,
    version: outcome.version,
    model: described?.model.name ?? null,
    baseline: { source: "none" },
    metrics: [],
    cases: { regressed: [], improved: [], errored: [] },
    details: [],
    usage: zeroUsage(),
    latency_ms: { p50: 0, p95: 0 },
    samples_per_case: described?.suite.repeat ?? 1,
    samples: 0,
    error_rate: 0,
    nondeterministic: false
  };
}
function caseDetails(changed, { samples, cases, repeat }, table, baseline) {
  const first = [...new Set(changed.flat())].flatMap((id) => cases.position(id) ?? []);
  return new LazyList(cases.length, function* () {
    const baselineErrors = /* @__PURE__ */ new Map();
    for (const s of baseline?.samples ?? []) if (s.error && !baselineErrors.has(s.caseId)) baselineErrors.set(s.caseId, s.error);
    const metrics = Object.keys(table.metrics);
    const detail = (position) => {
      const c = cases.at(position);
      const sample = samples.at(position * repeat);
      const scores2 = {};
      const means = table.cases.at(position);
      const baseMeans = baseline?.table.cases.get(c.id);
      for (const metric of metrics) {
        const score = means[metric];
        if (score !== void 0) scores2[metric] = [baseMeans?.[metric] ?? null, score];
      }
      return {
        id: c.id,
        vars: c.vars,
        expected: c.expected,
        baseline_output: baseline?.outputOf(c.id),
        candidate_output: sample?.output,
        scores: scores2,
        reasons: sample?.reasons,
        error: sample?.error || void 0,
        baseline_error: baselineErrors.get(c.id)
      };
    };
    for (const position of first) yield detail(position);
    const shown = new Set(first);
    for (let position = 0; position < cases.length; position++) if (!shown.has(position)) yield detail(position);
  });
}
function roundedUsage(usage) {
  return { ...usage, cost_usd: Math.round(usage.cost_usd * 1e9) / 1e9 };
}
function latencyQuantiles(samples, live) {
  const values = live.length > 0 ? live : Float64Array.from(samples, (s) => s.latencyMs);
  values.sort();
  return { p50: quantile(values, 0.5), p95: quantile(values, 0.95) };
}
function quantile(sorted, q) {
  if (!sorted.length) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
}
function storedSide(file) {
  return {
    source: "stored",
    table: { metrics: file.metrics, cases: new CaseScoreRecord(file.cases) },
    outputOf: (id) => file.outputs && Object.hasOwn(file.outputs, id) ? file.outputs[id] : void 0,
    version: file.version
  };
}
function rerunSide(result, prompt) {
  const outputOf = (id) => {
    const position = result.cases.position(id);
    return position === void 0 ? void 0 : result.samples.at(position * result.repeat)?.output;
  };
  return {
    source: "rerun",
    table: scoreTable(
      result,
      prompt.suite.metrics.map((m) => m.name)
    ),
    outputOf,
    version: result.version,
    samples: result.samples
  };
}

// src/engine/modes/context.ts
import { join as join2 } from "node:path";

// src/engine/evaluate/output-store.ts
var OutputStore = class {
  /**
   * `memoryChars`: what stays in memory, 8 MiB by default: a run of tens of thousands of short
   * answers never writes, and a larger one holds no more than that.
   */
  constructor(memoryChars = 8 * 1024 * 1024) {
    this.memoryChars = memoryChars;
  }
  memoryChars;
  held = 0;
  file;
  /** No temporary file could be written: every output stays in memory. */
  inMemoryOnly = false;
  /** Keeps `text`: undefined when its holder keeps it in memory, else its byte offsets in the file. */
  put(text) {
    if (!this.inMemoryOnly && this.held + text.length > this.memoryChars) {
      this.file ??= SpilledText.create();
      try {
        if (this.file) return this.file.append(text);
      } catch {
      }
      this.inMemoryOnly = true;
    }
    this.held += text.length;
    return void 0;
  }
  read(start, end) {
    return this.file.slice(start, end);
  }
};

// src/engine/evaluate/sample-list.ts
function keepsOutput(sample) {
  return sample.sample === 0 || sample.error !== void 0;
}
var SampleList = class {
  constructor(cases, repeat, metrics, store = new OutputStore()) {
    this.cases = cases;
    this.repeat = repeat;
    this.metrics = metrics;
    this.store = store;
    const length = this.length = cases.length * repeat;
    this.outputs = new Array(length);
    this.sampleNumbers = new Uint16Array(length);
    this.scores = new Float64Array(length * metrics.length);
    this.latencyMs = new Float64Array(length);
    this.inputTokens = new Float64Array(length);
    this.outputTokens = new Float64Array(length);
    this.costUsd = new Float64Array(length);
    this.state = new Uint8Array(length);
  }
  cases;
  repeat;
  metrics;
  store;
  length;
  outputs;
  /** Byte offsets of the outputs the store put in its file (made at the first); NaN for one in `outputs`. */
  spilled;
  /** Repeat is at most 1,000. */
  sampleNumbers;
  /** Row-major, a column per metric; NaN where a sample has no score for the metric. */
  scores;
  latencyMs;
  inputTokens;
  outputTokens;
  costUsd;
  /** 0: not stored yet; 1: stored; 2: stored, from the cache. */
  state;
  /** Errors, missing keys and reasons: rare, or only beside judges and scripts. */
  extras = /* @__PURE__ */ new Map();
  /** Stores sample `index`, which is of the case at `floor(index / repeat)`. */
  set(index, sample) {
    const output = keepsOutput(sample) ? sample.output : "";
    const at = output === "" ? void 0 : this.store.put(output);
    this.outputs[index] = at ? "" : output;
    if (at) {
      this.spilled ??= { start: new Float64Array(this.length).fill(Number.NaN), end: new Float64Array(this.length) };
      [this.spilled.start[index], this.spilled.end[index]] = at;
    }
    this.sampleNumbers[index] = sample.sample;
    const row = index * this.metrics.length;
    this.metrics.forEach((metric, m) => this.scores[row + m] = sample.scores[metric] ?? Number.NaN);
    this.latencyMs[index] = sample.latencyMs;
    this.inputTokens[index] = sample.inputTokens;
    this.outputTokens[index] = sample.outputTokens;
    this.costUsd[index] = sample.costUsd;
    this.state[index] = sample.cached ? 2 : 1;
    if (sample.error !== void 0 || sample.missingKey !== void 0 || sample.reasons !== void 0) {
      this.extras.set(index, { error: sample.error, missingKey: sample.missingKey, reasons: sample.reasons });
    }
  }
  at(index) {
    if (!(index >= 0 && index < this.length && this.state[index])) return void 0;
    const scores2 = {};
    const row = index * this.metrics.length;
    this.metrics.forEach((metric, m) => {
      const score = this.scores[row + m];
      if (!Number.isNaN(score)) scores2[metric] = score;
    });
    const extra = this.extras.get(index);
    return {
      caseId: this.cases.at(Math.floor(index / this.repeat)).id,
      sample: this.sampleNumbers[index],
      output: this.outputOf(index),
      error: extra?.error,
      missingKey: extra?.missingKey,
      latencyMs: this.latencyMs[index],
      inputTokens: this.inputTokens[index],
      outputTokens: this.outputTokens[index],
      costUsd: this.costUsd[index],
      cached: this.state[index] === 2,
      scores: scores2,
      reasons: extra?.reasons
    };
  }
  outputOf(index) {
    const start = this.spilled?.start[index];
    return start === void 0 || Number.isNaN(start) ? this.outputs[index] : this.store.read(start, this.spilled.end[index]);
  }
  *[Symbol.iterator]() {
    for (let i = 0; i < this.length; i++) {
      const sample = this.at(i);
      if (sample) yield sample;
    }
  }
};

// src/engine/evaluate/evaluate.ts
async function evaluate(prompt, promptSrc, suiteOf, deps) {
  const { suite } = suiteOf;
  const templates = new PromptTemplates(promptSrc, prompt.file);
  const suiteTemplates = new PromptTemplates(deps.suiteSrc, suite.file);
  const created = await Promise.allSettled(
    suite.metrics.map(async (metric) => ({
      name: metric.name,
      score: await createScorer(metric, {
        root: deps.root,
        source: deps.suiteSrc,
        judge: (req) => deps.runner.complete(req),
        renderValue: (template, c) => renderMetricValue(suiteTemplates, template, c, { file: suite.file, ...metric.line ? { line: metric.line } : {} })
      })
    }))
  );
  const scorers = created.flatMap((s) => s.status === "fulfilled" ? [s.value] : []);
  const close = () => Promise.all(scorers.map((s) => s.score.close?.()));
  const failed = created.find((s) => s.status === "rejected");
  if (failed) {
    await close();
    throw failed.reason;
  }
  const cases = deps.cases ?? suite.cases;
  try {
    const samples = await runWindowed(
      cases,
      suite.repeat,
      suite.metrics.map((m) => m.name),
      (c, sample) => runSample(prompt, templates, c, sample, scorers, deps),
      deps
    );
    return {
      prompt: prompt.name,
      version: prompt.version,
      promptHash: prompt.artifact.hash,
      model: prompt.model.name,
      samples,
      cases: caseIndex(cases),
      repeat: suite.repeat
    };
  } finally {
    await close();
  }
}
async function runWindowed(cases, repeat, metrics, run2, deps) {
  const total = cases.length * repeat;
  const samples = new SampleList(cases, repeat, metrics, deps.outputs);
  let next = 0;
  let stop;
  const worker = async () => {
    while (next < total && stop === void 0) {
      const index = next++;
      try {
        samples.set(index, await run2(cases.at(Math.floor(index / repeat)), index % repeat));
      } catch (err) {
        stop ??= err;
      }
      deps.onSample?.();
    }
  };
  await Promise.all(Array.from({ length: Math.min(total, 2 * deps.runner.concurrency) }, worker));
  if (stop !== void 0) throw stop;
  return samples;
}
function* plannedRequests(prompt, promptSrc, suite, cases = suite.cases) {
  const templates = new PromptTemplates(promptSrc, prompt.file);
  for (const c of cases) {
    let messages;
    try {
      messages = renderMessages(prompt, templates, c.vars);
    } catch {
      continue;
    }
    for (let sample = 0; sample < suite.repeat; sample++) yield requestFor(prompt, messages, sample);
  }
}
function requestFor(prompt, messages, sample) {
  return { provider: prompt.model.provider, model: prompt.model.name, params: prompt.model.params, messages, sample };
}
async function runSample(prompt, templates, c, sample, scorers, deps) {
  let response;
  try {
    response = await deps.runner.complete(requestFor(prompt, renderMessages(prompt, templates, c.vars), sample));
  } catch (err) {
    if (err instanceof BudgetExceededError) throw err;
    const zero = Object.fromEntries(scorers.map((s) => [s.name, 0]));
    return sampleOf(c.id, sample, void 0, zero, { error: messageOf(err), missingKey: missingKeyOf(err) });
  }
  const scores2 = {};
  let reasons;
  const failures = [];
  let missingKey;
  for (const { name, score } of scorers) {
    try {
      const result = await score({ output: response.text, case: c });
      scores2[name] = result.score;
      if (result.reason) (reasons ??= {})[name] = result.reason;
    } catch (err) {
      if (err instanceof BudgetExceededError) throw err;
      scores2[name] = 0;
      failures.push(`${name}: ${messageOf(err)}`);
      missingKey ??= missingKeyOf(err);
    }
  }
  return sampleOf(c.id, sample, response, scores2, { error: failures.length ? failures.join("; ") : void 0, missingKey, reasons });
}
function sampleOf(caseId, sample, response, scores2, extra) {
  return {
    caseId,
    sample,
    output: response?.text ?? "",
    error: extra.error,
    missingKey: extra.missingKey,
    latencyMs: response?.latencyMs ?? 0,
    inputTokens: response?.inputTokens ?? 0,
    outputTokens: response?.outputTokens ?? 0,
    costUsd: response?.costUsd ?? 0,
    cached: response?.cached ?? false,
    scores: scores2,
    reasons: extra.reasons
  };
}
function missingKeyOf(err) {
  return err instanceof MissingKeyError ? err.key : void 0;
}
function messageOf(err) {
  return err instanceof Error ? err.message : String(err);
}

// src/engine/modes/context.ts
function createContext(opts, headSrc, head, datasets) {
  const { config } = head;
  return {
    opts,
    headSrc,
    head,
    datasets,
    runner: new ModelRunner({
      config,
      env: opts.env,
      // Drift measures the live model: a cached answer would hide exactly what it looks for.
      ...opts.cache === false || opts.mode === "drift" ? {} : { cacheDir: join2(opts.root, config.cache) },
      ...opts.concurrency ? { concurrency: opts.concurrency } : {},
      budget: { ...config.budget, ...opts.maxCostUsd !== void 0 ? { max_cost_usd: opts.maxCostUsd } : {} }
    }),
    progress: { done: 0, total: 0 },
    errors: new Set(opts.merge?.flatMap((p) => p.errors)),
    outputs: new OutputStore(),
    ...opts.shard ? { shardSamples: {} } : {}
  };
}
function load(src, opts, datasets) {
  return loadProject(src, { configPath: opts.configPath, datasets });
}
async function loadBase(ctx, sha) {
  await ensureCommit(ctx.opts.root, sha);
  const src = new GitTree(ctx.opts.root, sha);
  await src.preload(ctx.headSrc.requested);
  return { src, project: load(src, ctx.opts, ctx.datasets) };
}
async function evaluateTracked(ctx, version, src, suiteOf, side) {
  const suite = suiteOf.suite;
  if (ctx.opts.merge) {
    return {
      prompt: version.name,
      version: version.version,
      promptHash: version.artifact.hash,
      model: version.model.name,
      samples: mergedSamples(ctx.opts.merge, suiteOf.name, side, suite),
      cases: caseIndex(suite.cases),
      repeat: suite.repeat
    };
  }
  const cases = casesOf(ctx, suiteOf);
  const evaluation = evaluate(version, src, suiteOf, {
    runner: ctx.runner,
    root: ctx.opts.root,
    suiteSrc: ctx.headSrc,
    cases,
    onSample: () => ctx.opts.onProgress?.(++ctx.progress.done, ctx.progress.total),
    outputs: ctx.outputs
  });
  const held = ctx.shardSamples;
  if (!held) return evaluation;
  const record = (samples) => held[suiteOf.name] = { ...held[suiteOf.name], [side]: samples };
  try {
    const result = await evaluation;
    record({ samples: [...result.samples] });
    return result;
  } catch (err) {
    record({ error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}
function casesOf(ctx, suiteOf) {
  return ctx.opts.shard ? casesInShard(suiteOf.name, suiteOf.suite, ctx.opts.shard) : suiteOf.suite.cases;
}
function failure(ctx, err) {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof BudgetExceededError) ctx.errors.add(message);
  return message;
}
function only(items, names) {
  return names?.length ? items.filter((i) => names.includes(i.name)) : items;
}
function judgeModels(prompts) {
  return prompts.flatMap((p) => p.suite.metrics.flatMap((m) => m.model ? [m.model.name] : []));
}
function baseVersion(base, prompt) {
  const before = base.prompts.find((p) => p.name === prompt.name) ?? base.lintOnly.find((p) => p.name === prompt.name);
  return before ? { base: before } : {};
}

// src/engine/modes/baseline.ts
import { join as join3 } from "node:path";

// src/engine/modes/plan.ts
function storedBaseline(ctx, src, version, suiteOf) {
  const dir = ctx.head.config.baselines;
  const path = baselinePath(dir, version.name);
  const stored = readBaseline(src, dir, version.name);
  if ("missing" in stored) return { state: "missing", path };
  if ("problem" in stored) return { state: "invalid", path, message: stored.problem.message };
  const fresh = stored.baseline.prompt_hash === version.artifact.hash && stored.baseline.suite_hash === suiteOf.artifact.suiteHash;
  return fresh ? { state: "fresh", path, file: stored.baseline } : { state: "stale", path };
}
function providersNeeded(evaluations) {
  const providers = /* @__PURE__ */ new Set();
  for (const { version, suiteOf } of evaluations) {
    providers.add(version.model.provider);
    for (const m of suiteOf.suite.metrics) if (m.model) providers.add(m.model.provider);
  }
  return providers;
}
async function prepare(ctx, evaluations) {
  if (ctx.opts.merge) return;
  ctx.runner.assertReady(providersNeeded(evaluations));
  ctx.progress.total = evaluations.reduce((sum, { suiteOf }) => sum + casesOf(ctx, suiteOf).length * suiteOf.suite.repeat, 0);
  if (ctx.progress.total) ctx.opts.onProgress?.(ctx.progress.done, ctx.progress.total);
  if (!ctx.runner.hasBudget) return;
  const requests = (function* () {
    for (const { version, src, suiteOf } of evaluations) yield* plannedRequests(version, src, suiteOf.suite, casesOf(ctx, suiteOf));
  })();
  try {
    const e = await ctx.runner.estimate(requests);
    if (e.calls + e.cached === 0) return;
    const bound = e.observed ? "each answer as long as the longest cached answer of its model, or max_tokens" : "each answer as long as max_tokens allows";
    ctx.opts.log?.(
      `Estimate: ${plural(e.calls, "model call")} (plus judge calls, if any), ${count(e.cached)} answered by the cache; at most ${count(e.inputTokens + e.outputTokens)} tokens and ${usd(e.costUsd)} (an upper bound: ${bound}).`
    );
  } catch (err) {
    if (!(err instanceof BudgetExceededError)) throw err;
    failure(ctx, err);
    ctx.opts.log?.(err.message);
  }
}

// src/engine/modes/baseline.ts
async function runBaseline(ctx) {
  const { head, headSrc, opts } = ctx;
  const stored = only(head.prompts, opts.prompts).map((prompt) => ({ prompt, stored: storedBaseline(ctx, headSrc, prompt, prompt) }));
  const targets = stored.flatMap(({ prompt, stored: stored2 }) => {
    const fresh = stored2.state === "fresh";
    if (fresh && !opts.all) opts.log?.(`${prompt.name}: stored baseline is current`);
    return opts.all || !fresh ? [prompt] : [];
  });
  await prepare(
    ctx,
    targets.map((prompt) => ({ version: prompt, src: headSrc, suiteOf: prompt }))
  );
  const written = [];
  const prompts = await Promise.all(
    targets.map(async (prompt) => {
      const affected = { name: prompt.name, file: prompt.file, change: "modified", head: prompt };
      try {
        const result = await evaluateTracked(ctx, prompt, headSrc, prompt, "candidate");
        const report = buildPromptReport({ affected, prompt, gateDefaults: head.config.gate, candidate: result });
        if (report.status !== "error" && !opts.shard) {
          const { path } = stored.find((s) => s.prompt === prompt).stored;
          const table = scoreTable(
            result,
            prompt.suite.metrics.map((m) => m.name)
          );
          await writeFileAtomic(join3(opts.root, path), `${JSON.stringify(toBaseline(result, table, prompt), null, 2)}
`);
          written.push(path);
        }
        return report;
      } catch (err) {
        return buildPromptReport({ affected, prompt, gateDefaults: head.config.gate, error: failure(ctx, err) });
      }
    })
  );
  return { prompts, lint: [], judgeModels: judgeModels(targets), baselinesWritten: written.sort() };
}

// src/engine/modes/drift.ts
async function runDrift(ctx) {
  const { head, headSrc, opts } = ctx;
  const targets = only(head.prompts, opts.prompts).map((prompt) => ({ prompt, stored: storedBaseline(ctx, headSrc, prompt, prompt) }));
  await prepare(
    ctx,
    targets.filter((t) => t.stored.state === "fresh").map(({ prompt }) => ({ version: prompt, src: headSrc, suiteOf: prompt }))
  );
  const prompts = await Promise.all(
    targets.map(async ({ prompt, stored }) => {
      const affected = { name: prompt.name, file: prompt.file, change: "modified", head: prompt, base: prompt };
      const gateDefaults = head.config.gate;
      if (stored.state !== "fresh") {
        const error = stored.state === "stale" ? `The stored baseline ${stored.path} is stale (the prompt or its suite changed since): run promptgate baseline to refresh it.` : `${stored.state === "missing" ? `No stored baseline ${stored.path}` : stored.message}: run promptgate baseline (mode: baseline) on the production branch first.`;
        return buildPromptReport({ affected, prompt, gateDefaults, error });
      }
      try {
        const candidate = await evaluateTracked(ctx, prompt, headSrc, prompt, "candidate");
        return buildPromptReport({ affected, prompt, gateDefaults, candidate, baseline: storedSide(stored.file) });
      } catch (err) {
        return buildPromptReport({ affected, prompt, gateDefaults, error: failure(ctx, err) });
      }
    })
  );
  return { prompts, lint: [], judgeModels: judgeModels(targets.map((t) => t.prompt)) };
}

// src/engine/lint/model-pinning.ts
var import_picomatch = __toESM(require_picomatch(), 1);

// src/engine/lint/known-models.ts
var KNOWN_MODELS = {
  openai: [
    "chatgpt-4o-latest",
    "codex-mini-latest",
    "computer-use-preview",
    "computer-use-preview-2025-03-11",
    "gpt-3.5-turbo",
    "gpt-3.5-turbo-0125",
    "gpt-3.5-turbo-0301",
    "gpt-3.5-turbo-0613",
    "gpt-3.5-turbo-1106",
    "gpt-3.5-turbo-16k",
    "gpt-3.5-turbo-16k-0613",
    "gpt-4",
    "gpt-4-0125-preview",
    "gpt-4-0314",
    "gpt-4-0613",
    "gpt-4-1106-preview",
    "gpt-4-32k",
    "gpt-4-32k-0314",
    "gpt-4-32k-0613",
    "gpt-4-turbo",
    "gpt-4-turbo-2024-04-09",
    "gpt-4-turbo-preview",
    "gpt-4-vision-preview",
    "gpt-4.1",
    "gpt-4.1-2025-04-14",
    "gpt-4.1-mini",
    "gpt-4.1-mini-2025-04-14",
    "gpt-4.1-nano",
    "gpt-4.1-nano-2025-04-14",
    "gpt-4o",
    "gpt-4o-2024-05-13",
    "gpt-4o-2024-08-06",
    "gpt-4o-2024-11-20",
    "gpt-4o-audio-preview",
    "gpt-4o-audio-preview-2024-10-01",
    "gpt-4o-audio-preview-2024-12-17",
    "gpt-4o-audio-preview-2025-06-03",
    "gpt-4o-mini",
    "gpt-4o-mini-2024-07-18",
    "gpt-4o-mini-audio-preview",
    "gpt-4o-mini-audio-preview-2024-12-17",
    "gpt-4o-mini-search-preview",
    "gpt-4o-mini-search-preview-2025-03-11",
    "gpt-4o-search-preview",
    "gpt-4o-search-preview-2025-03-11",
    "gpt-5",
    "gpt-5-2025-08-07",
    "gpt-5-chat-latest",
    "gpt-5-codex",
    "gpt-5-mini",
    "gpt-5-mini-2025-08-07",
    "gpt-5-nano",
    "gpt-5-nano-2025-08-07",
    "gpt-5-pro",
    "gpt-5-pro-2025-10-06",
    "gpt-5.1",
    "gpt-5.1-2025-11-13",
    "gpt-5.1-chat-latest",
    "gpt-5.1-codex",
    "gpt-5.1-codex-max",
    "gpt-5.1-mini",
    "gpt-5.2",
    "gpt-5.2-2025-12-11",
    "gpt-5.2-chat-latest",
    "gpt-5.2-pro",
    "gpt-5.2-pro-2025-12-11",
    "gpt-5.3-chat-latest",
    "gpt-5.4",
    "gpt-5.4-mini",
    "gpt-5.4-mini-2026-03-17",
    "gpt-5.4-nano",
    "gpt-5.4-nano-2026-03-17",
    "gpt-5.6-luna",
    "gpt-5.6-sol",
    "gpt-5.6-terra",
    "o1",
    "o1-2024-12-17",
    "o1-mini",
    "o1-mini-2024-09-12",
    "o1-preview",
    "o1-preview-2024-09-12",
    "o1-pro",
    "o1-pro-2025-03-19",
    "o3",
    "o3-2025-04-16",
    "o3-deep-research",
    "o3-deep-research-2025-06-26",
    "o3-mini",
    "o3-mini-2025-01-31",
    "o3-pro",
    "o3-pro-2025-06-10",
    "o4-mini",
    "o4-mini-2025-04-16",
    "o4-mini-deep-research",
    "o4-mini-deep-research-2025-06-26"
  ],
  anthropic: [
    "claude-fable-5",
    "claude-fable-5-1",
    "claude-fable-5-2",
    "claude-haiku-4-5",
    "claude-haiku-4-5-20251001",
    "claude-haiku-5-5",
    "claude-mythos-5",
    "claude-mythos-5-1",
    "claude-mythos-5-2",
    "claude-mythos-preview",
    "claude-opus-4-5",
    "claude-opus-4-5-20251101",
    "claude-opus-4-6",
    "claude-opus-4-7",
    "claude-opus-4-8",
    "claude-opus-5",
    "claude-opus-5-5",
    "claude-sonnet-4-5",
    "claude-sonnet-4-5-20250929",
    "claude-sonnet-4-6",
    "claude-sonnet-5",
    "claude-sonnet-5-5"
  ]
};

// src/engine/lint/model-pinning.ts
var SNAPSHOT_SUFFIX = /-(?:(20\d\d)-(\d\d)-(\d\d)|(20\d\d)(\d\d)(\d\d)|(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01]))$/;
var LATEST_SUFFIX = "-latest";
var FINE_TUNE_PREFIX = "ft:";
function parseSnapshot(name) {
  const m = SNAPSHOT_SUFFIX.exec(name);
  if (!m) return void 0;
  const stem = name.slice(0, m.index);
  if (m[1]) return { stem, date: `${m[1]}${m[2]}${m[3]}` };
  if (m[4]) return { stem, date: `${m[4]}${m[5]}${m[6]}` };
  const month = m[7];
  return { stem, date: `${month >= "03" ? "2023" : "2024"}${month}${m[8]}` };
}
function buildTable(names) {
  const known = new Set(names);
  const newest = /* @__PURE__ */ new Map();
  for (const name of names) {
    const snapshot = parseSnapshot(name);
    if (!snapshot || !known.has(snapshot.stem)) continue;
    const current = newest.get(snapshot.stem);
    if (!current || snapshot.date > current.date) newest.set(snapshot.stem, { name, date: snapshot.date });
  }
  return { known, newestSnapshot: new Map([...newest].map(([alias, { name }]) => [alias, name])) };
}
var TABLES = {
  openai: buildTable(KNOWN_MODELS.openai),
  anthropic: buildTable(KNOWN_MODELS.anthropic)
};
function classifyModel(provider, name, allow) {
  const table = TABLES[provider];
  if (name.endsWith(LATEST_SUFFIX)) {
    return floating(table.newestSnapshot.get(name.slice(0, -LATEST_SUFFIX.length)));
  }
  if (name.startsWith(FINE_TUNE_PREFIX)) return { kind: "pinned" };
  if (allow.length > 0 && import_picomatch.default.isMatch(name, allow)) return { kind: "pinned" };
  if (parseSnapshot(name)) return { kind: "pinned" };
  const suggestion = table.newestSnapshot.get(name);
  if (suggestion) return floating(suggestion);
  return table.known.has(name) ? { kind: "pinned" } : { kind: "unverified" };
}
function floating(suggestion) {
  return suggestion ? { kind: "floating", suggestion } : { kind: "floating" };
}

// src/engine/lint/models.ts
var DEFAULT_CONFIG_FILE = "promptgate.yaml";
function modelFindings(prompt, config) {
  const refs = [
    {
      ref: prompt.model,
      what: `model ${JSON.stringify(prompt.model.name)}`,
      at: { file: prompt.model.file ?? prompt.file, line: prompt.model.line ?? prompt.lines.model }
    }
  ];
  for (const metric of prompt.suite.metrics) {
    if (metric.type !== "llm-judge" || !metric.model) continue;
    refs.push({
      ref: metric.model,
      what: `judge model ${JSON.stringify(metric.model.name)} of metric "${metric.name}"`,
      at: { file: metric.model.file ?? prompt.suite.file, line: metric.model.line ?? metric.line }
    });
  }
  return refs.flatMap(({ ref, what, at }) => {
    const finding3 = checkModel(ref, what, at, config);
    return finding3 ? [finding3] : [];
  });
}
function checkModel(ref, what, at, config) {
  const type = config.providers[ref.provider]?.type;
  if (!type) return void 0;
  const pinning = classifyModel(type, ref.name, config.pinning.allow);
  switch (pinning.kind) {
    case "pinned":
      return void 0;
    case "floating":
      return {
        rule: "model-unpinned",
        severity: "error",
        ...at,
        message: `${what} is a floating alias that the provider (${ref.provider}) can repoint to another model at any time, changing behaviour without a version bump: ${pinning.suggestion ? `pin ${pinning.suggestion}` : "pin a dated snapshot of it"}`
      };
    case "unverified":
      return {
        rule: "model-unverified",
        severity: "warning",
        ...at,
        message: `${what} is not in promptgate's table of known ${type} models and has no snapshot suffix, so it may be a floating alias: if it names a fixed version, add it to pinning.allow in ${config.file ?? DEFAULT_CONFIG_FILE}`
      };
  }
}

// src/engine/lint/templates.ts
function templateFindings(prompt) {
  return prompt.artifact.problems.map((problem) => ({
    rule: "invalid-file",
    severity: "error",
    file: problem.file,
    ...problem.line !== void 0 ? { line: problem.line } : {},
    message: problem.message
  }));
}

// src/engine/lint/variables.ts
var EXAMPLE_CASES = 3;
function variableFindings(prompt) {
  const missingBy = new Map(prompt.artifact.variableUses.map((variable) => [variable, []]));
  if (missingBy.size) {
    for (const c of prompt.suite.cases) {
      const vars = c.vars;
      for (const [variable, missing] of missingBy) if (!Object.hasOwn(vars, variable.name)) missing.push(c);
    }
  }
  const findings = [];
  for (const [variable, missing] of missingBy) {
    const first = missing[0];
    if (!first) continue;
    findings.push({
      rule: "template-undefined-variable",
      severity: "error",
      file: first.file,
      line: first.line,
      message: `variable "${variable.name}" (${formatLocation(variable)}) is missing from ${describe(missing)}: add "${variable.name}" to ${missing.length === 1 ? "its" : "their"} vars`
    });
  }
  return findings;
}
function describe(cases) {
  const [first, ...rest] = cases.slice(0, EXAMPLE_CASES);
  const named = [`${first.id} (${formatLocation(first)})`, ...rest.map((c) => c.id)].join(", ");
  return cases.length === 1 ? `case ${named}` : `${cases.length} cases, e.g. ${named}`;
}

// src/engine/lint/version.ts
var import_semver = __toESM(require_semver(), 1);
function versionFindings({ prompt, base }) {
  const at = { file: prompt.file, line: prompt.lines.version };
  const head = prompt.version;
  const subject = `version ${JSON.stringify(head)}`;
  if (!import_semver.default.valid(head)) {
    const example = import_semver.default.coerce(head)?.version ?? "1.0.0";
    return [finding("version-invalid", at, `${subject} is not semver: write MAJOR.MINOR.PATCH, e.g. ${example}`)];
  }
  if (!base || !import_semver.default.valid(base.version)) return [];
  if (import_semver.default.lt(head, base.version)) {
    const next = import_semver.default.inc(base.version, "patch");
    return [
      finding(
        "version-invalid",
        at,
        `${subject} is lower than the base version ${base.version}: versions only go up; use ${next} or higher`
      )
    ];
  }
  if (import_semver.default.gt(head, base.version) || prompt.artifact.hash === base.artifact.hash) return [];
  const changed = changedParts(prompt.artifact, base.artifact);
  return [
    finding(
      "version-not-bumped",
      at,
      `prompt "${prompt.name}" changed since the base (${changed.length > 0 ? changed.join(", ") : "its artifact"}) but ${subject} is unchanged: bump it, e.g. to ${import_semver.default.inc(head, "patch")} (patch) or ${import_semver.default.inc(head, "minor")} (minor)`
    )
  ];
}
function finding(rule, at, message) {
  return { rule, severity: "error", ...at, message };
}
function changedParts(head, base) {
  const parts = [];
  if (canonicalJson(head.messages) !== canonicalJson(base.messages)) parts.push("messages");
  const includes = /* @__PURE__ */ new Set([...Object.keys(head.templates), ...Object.keys(base.templates)]);
  for (const file of [...includes].sort()) {
    if (head.templates[file] !== base.templates[file]) parts.push(`included file ${file}`);
  }
  if (head.model.provider !== base.model.provider || head.model.name !== base.model.name) {
    parts.push(`model ${base.model.provider}/${base.model.name} -> ${head.model.provider}/${head.model.name}`);
  } else if (canonicalJson(head.model.params) !== canonicalJson(base.model.params)) {
    parts.push("model parameters");
  }
  return parts;
}

// src/engine/lint/index.ts
function lintPrompt(input) {
  return dedupeFindings([
    ...templateFindings(input.prompt),
    ...modelFindings(input.prompt, input.config),
    ...versionFindings(input),
    ...variableFindings(input.prompt)
  ]);
}
function dedupeFindings(findings) {
  const seen = /* @__PURE__ */ new Set();
  return findings.filter((f) => {
    const key = JSON.stringify([f.rule, f.file, f.line ?? null, f.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// src/engine/registry/lint.ts
function releaseFindings(input) {
  return [...input.registry.findings, ...modifiedArchives(input), ...alreadyReleased(input), ...missingVersions(input)];
}
function modifiedArchives({ base, src }) {
  if (!base) return [];
  return base.registry.archivePaths.flatMap((path) => {
    const before = base.src.readBytes(path);
    const after = src.readBytes(path);
    if (after && before && after.equals(before)) return [];
    const restore = `restore it (git checkout ${base.src.label} -- ${path}) and release a new version instead`;
    return [
      finding2(
        "release-archive-modified",
        after ? { file: path, line: 1 } : { file: path },
        `${path} was ${after ? "changed" : "deleted"}: released versions are immutable; ${restore}`
      )
    ];
  });
}
function alreadyReleased({ registry, prompts, config }) {
  return prompts.flatMap((prompt) => {
    const entry = archived(registry, prompt.name, prompt.version);
    if (!entry || entry.archive.hash === prompt.artifact.hash) return [];
    return [
      finding2(
        "version-already-released",
        { file: prompt.file, line: prompt.lines.version },
        `${prompt.name} ${prompt.version} is already released (${archivePath(config, prompt.name, prompt.version)}) with other content: released versions are immutable; bump version (and release the new one)`
      )
    ];
  });
}
function missingVersions({ registry, prompts }) {
  const manifest = registry.manifest;
  if (!manifest) return [];
  const current = new Map(prompts.map((p) => [p.name, p.version]));
  const unknown = Object.keys(manifest.manifest).filter((name) => !current.has(name) && !registry.archives.has(name));
  const unknownFindings = unknown.map((name) => {
    const known = [.../* @__PURE__ */ new Set([...current.keys(), ...registry.archives.keys()])].sort();
    return finding2(
      "release-version-missing",
      { file: manifest.file, ...manifest.keyPosition([name]), key: name },
      `no prompt named "${name}" and nothing of that name is released; fix the name (known: ${known.join(", ") || "none"}) or remove the entry`
    );
  });
  const versionFindings2 = pointers(manifest.manifest).filter((p) => !unknown.includes(p.name) && p.version !== current.get(p.name) && !archived(registry, p.name, p.version)).map((p) => {
    const released = [...registry.archives.get(p.name)?.keys() ?? []];
    const now = current.get(p.name);
    const options = [...released.map((v) => `released: ${v}`), ...now ? [`current: ${now}`] : []].join(", ") || "none";
    return finding2(
      "release-version-missing",
      { file: manifest.file, ...manifest.position(p.path), key: p.path.join(".") },
      `${p.path.join(".")} names ${p.name} ${p.version}, which is neither released nor the prompt's current version (${options}); run promptgate release after bumping the prompt to ${p.version}, or name a version that exists`
    );
  });
  return [...unknownFindings, ...versionFindings2];
}
function unevaluatedFinding(registry, move, why2) {
  const manifest = registry.manifest;
  const what = move.kind === "canary" ? `the canary of ${move.name}` : `${move.segment ? `segment ${move.segment}'s ` : ""}production of ${move.name}`;
  return finding2(
    "release-unevaluated",
    { file: manifest.file, ...manifest.position(move.path), key: move.path.join(".") },
    `this change moves ${what} ${move.from ? `from ${move.from} ` : ""}to ${move.to}, which has not passed the gate against production: ${why2}`
  );
}
function finding2(rule, at, message) {
  return { rule, severity: "error", ...at, message };
}

// src/engine/modes/promotion.ts
function planPromotions(ctx, head, base, opts) {
  const config = head.project.config;
  const headRegistry = loadRegistry(head.src, config);
  const baseRegistry = base && loadRegistry(base.src, base.project.config);
  const lint = releaseFindings({
    registry: headRegistry,
    prompts: [...head.project.prompts, ...head.project.lintOnly],
    src: head.src,
    config,
    ...base && baseRegistry && { base: { registry: baseRegistry, src: base.src } }
  });
  const plan = {
    findings: opts.touched ? lint.filter((f) => opts.touched.has(f.file)) : lint,
    promotions: [],
    rollbacks: [],
    evaluations: [],
    manifestFile: config.releases
  };
  if (!base || !headRegistry.manifest || opts.touched && !opts.touched.has(config.releases)) return plan;
  const moves = productionMoves(baseRegistry?.manifest?.manifest ?? {}, headRegistry.manifest.manifest, headRegistry);
  for (const move of moves) {
    if (move.rollback) {
      plan.rollbacks.push(rollbackReport(move, config.releases, headRegistry));
      continue;
    }
    if (!opts.canEvaluate) {
      plan.findings.push(
        unevaluatedFinding(headRegistry, move, "mode lint makes no model call; open a pull request so the gate evaluates it")
      );
      continue;
    }
    const planned = planOne(ctx, move, head, base, headRegistry);
    if ("problem" in planned) plan.findings.push(unevaluatedFinding(headRegistry, move, planned.problem));
    else {
      plan.promotions.push(planned);
      plan.evaluations.push(...evaluationsOf(ctx, planned));
    }
  }
  return plan;
}
function planOne(ctx, move, head, base, registry) {
  const suiteOf = head.project.prompts.find((p) => p.name === move.name);
  if (!suiteOf)
    return {
      problem: `there is no prompt ${move.name} with a sound suite at the head to evaluate it on; restore its prompt file and suite`
    };
  const target = versionOf(move.to, move.name, suiteOf, head, base, registry);
  if (!target)
    return { problem: `${move.to} cannot be rendered: it is neither archived nor the prompt's current version; run promptgate release` };
  const production = move.from === void 0 ? void 0 : versionOf(move.from, move.name, suiteOf, head, base, registry);
  if (move.from !== void 0 && !production) {
    return {
      problem: `production's version ${move.from} cannot be rendered: it is not archived; release it (or restore its archive file)`
    };
  }
  const promotion = { move, suiteOf, target, ...production && { production } };
  try {
    const providers = [...providersNeeded(evaluationsOf(ctx, promotion))];
    ctx.runner.assertReady(providers);
    const missing = ctx.runner.missingKeys(providers);
    if (missing.length) {
      const keys = missing.map((m) => `${m.env} (provider ${m.provider})`).join(", ");
      return { problem: `the promotion cannot be evaluated without an API key: set ${keys}` };
    }
  } catch (err) {
    if (err instanceof UserError) return { problem: err.message };
    throw err;
  }
  return promotion;
}
function versionOf(version, name, suiteOf, head, base, registry) {
  const entry = archived(registry, name, version);
  if (entry) return fromArchive(entry.archive, suiteOf);
  const current = head.project.prompts.find((p) => p.name === name && p.version === version);
  if (current) return { prompt: current, src: head.src };
  const before = base.project.prompts.find((p) => p.name === name && p.version === version);
  return before && { prompt: before, src: base.src };
}
function fromArchive(archive, suiteOf) {
  const src = new ArchiveSource(archive);
  const { provider, name, ...params } = archive.model;
  const source = {
    file: archive.source.path,
    name: archive.name,
    version: archive.version,
    model: { provider, name, params },
    messages: archive.messages.map(({ role, content }) => ({ role, content })),
    lines: {},
    suite: suiteOf.suite,
    ...suiteOf.suiteFile && { suiteFile: suiteOf.suiteFile }
  };
  return { prompt: { ...source, artifact: buildArtifact(source, src, suiteOf.artifact) }, src };
}
function evaluationsOf(ctx, p) {
  const production = p.production && productionSide(ctx, p);
  return [
    { version: p.target.prompt, src: p.target.src, suiteOf: p.suiteOf },
    ...p.production && production?.source !== "stored" ? [{ version: p.production.prompt, src: p.production.src, suiteOf: p.suiteOf }] : []
  ];
}
function productionSide(ctx, p) {
  const stored = storedBaseline(ctx, ctx.headSrc, p.production.prompt, p.suiteOf);
  if (stored.state !== "fresh") return { source: "rerun" };
  return { source: "stored", side: storedSide(stored.file) };
}
async function evaluatePromotion(ctx, p, manifestFile) {
  const affected = {
    name: p.move.name,
    file: manifestFile,
    change: "promotion",
    head: p.target.prompt,
    ...p.production && { base: p.production.prompt }
  };
  const gateDefaults = ctx.head.config.gate;
  const pointer = pointerOf(p.move);
  try {
    const production = p.production && productionSide(ctx, p);
    const [candidate, rerun] = await Promise.all([
      evaluateTracked(ctx, p.target.prompt, p.target.src, p.suiteOf, "candidate"),
      p.production && production?.source === "rerun" ? evaluateTracked(ctx, p.production.prompt, p.production.src, p.suiteOf, "baseline") : void 0
    ]);
    const baseline = production?.source === "stored" ? production.side : rerun ? rerunSide(rerun, p.suiteOf) : void 0;
    const report = buildPromptReport({
      affected,
      prompt: { ...p.target.prompt, suite: p.suiteOf.suite },
      gateDefaults,
      candidate,
      ...baseline && { baseline }
    });
    return { ...report, file: manifestFile, pointer };
  } catch (err) {
    const report = buildPromptReport({ affected, prompt: p.target.prompt, gateDefaults, error: failure(ctx, err) });
    return { ...report, file: manifestFile, pointer };
  }
}
function rollbackReport(move, manifestFile, registry) {
  const described = archived(registry, move.name, move.to);
  const affected = { name: move.name, file: manifestFile, change: "rollback" };
  const report = notEvaluatedReport(affected, { status: "pass", version: { base: move.from ?? null, head: move.to } });
  return { ...report, model: described ? described.archive.model.name : report.model, pointer: pointerOf(move) };
}
function pointerOf(move) {
  return { label: move.kind === "canary" ? "canary" : "production", ...move.segment && { segment: move.segment } };
}

// src/engine/modes/lint.ts
async function runLint(ctx) {
  const { head, opts } = ctx;
  let base;
  let baseSrc;
  if (opts.base) {
    ({ src: baseSrc, project: base } = await loadBase(ctx, opts.base.sha));
  }
  const targets = only([...head.prompts, ...head.lintOnly], opts.prompts);
  const lint = dedupeFindings([
    ...head.findings,
    ...targets.flatMap((prompt) => lintPrompt({ prompt, config: head.config, ...base ? baseVersion(base, prompt) : {} }))
  ]);
  const release = planPromotions(ctx, { project: head, src: ctx.headSrc }, base && baseSrc && { project: base, src: baseSrc }, {
    canEvaluate: false
  });
  return { prompts: [], lint: dedupeFindings([...lint, ...release.findings]) };
}

// src/engine/git/graph.ts
function affectedPrompts(head, base, changed) {
  const paths = new Set(changed.flatMap((f) => f.previous ? [f.path, f.previous] : [f.path]));
  const configChanged = [head.config.file, base.config.file].some((f) => f !== void 0 && paths.has(f));
  const baseByName = new Map(base.prompts.map((p) => [p.name, p]));
  const affected = [];
  for (const prompt of head.prompts) {
    const before = baseByName.get(prompt.name);
    const change = !before ? "added" : paths.has(prompt.file) || paths.has(before.file) ? "modified" : configChanged || prompt.artifact.dependencies.some((d) => paths.has(d)) ? "dependency" : void 0;
    if (change) affected.push({ name: prompt.name, file: prompt.file, change, head: prompt, ...before ? { base: before } : {} });
  }
  const headNames = new Set(head.prompts.map((p) => p.name));
  const brokenHead = new Set(head.brokenFiles);
  for (const prompt of base.prompts) {
    if (!headNames.has(prompt.name) && !brokenHead.has(prompt.file)) {
      affected.push({ name: prompt.name, file: prompt.file, change: "removed", base: prompt });
    }
  }
  return affected.sort((a, b) => a.name.localeCompare(b.name));
}

// src/engine/modes/pr.ts
async function runPr(ctx) {
  const { opts, head } = ctx;
  if (!opts.base && !opts.all)
    throw new UserError(
      "Mode pr needs a base commit to compare with: the pull request base, or the commit to compare the working tree with."
    );
  const baseSha = opts.base?.sha;
  const changes = opts.changedFiles ? Promise.resolve(opts.changedFiles) : baseSha ? changeSince(opts.root, baseSha) : Promise.resolve([]);
  changes.catch(() => void 0);
  if (!opts.merge) ctx.runner.warmUp(head.prompts.map((p) => p.model.provider));
  const { src: baseSrc, project: base } = baseSha ? await loadBase(ctx, baseSha) : { src: ctx.headSrc, project: { ...head, prompts: [], lintOnly: [] } };
  const changed = await changes;
  const affected = only(affectedPrompts(head, base, changed), opts.prompts);
  const unchanged = opts.all || opts.prompts?.length ? only(head.prompts, opts.prompts).filter((p) => !affected.some((a) => a.name === p.name)) : [];
  const touched = new Set(changed.flatMap((f) => f.previous ? [f.path, f.previous] : [f.path]));
  for (const a of affected) touched.add(a.file);
  for (const p of unchanged) touched.add(p.file);
  const lint = dedupeFindings([
    ...head.findings.filter((f) => touched.has(f.file)),
    ...affected.flatMap((a) => a.head ? lintPrompt({ prompt: a.head, ...a.base ? { base: a.base } : {}, config: head.config }) : []),
    ...head.lintOnly.filter((p) => touched.has(p.file) || p.suiteFile !== void 0 && touched.has(p.suiteFile)).flatMap((prompt) => lintPrompt({ prompt, config: head.config, ...baseVersion(base, prompt) }))
  ]);
  const release = planPromotions(ctx, { project: head, src: ctx.headSrc }, { project: base, src: baseSrc }, { touched, canEvaluate: true });
  const reviewed = [
    ...affected.map((a) => `${a.name} (${a.change})`),
    ...release.promotions.map((p) => `${p.suiteOf.name} (promotion)`),
    ...release.rollbacks.map((r) => `${r.name} (rollback)`)
  ];
  opts.log?.(
    reviewed.length ? `Affected prompts: ${reviewed.join(", ")}` : unchanged.length ? "No prompt is affected by this change." : "No prompt is affected by this change: nothing to evaluate."
  );
  const plans = [
    ...affected.map((a) => planBaseline(ctx, a, opts.baseline ?? "auto", baseSrc)),
    ...unchanged.map((p) => planUnchanged(ctx, p, baseSrc))
  ];
  await prepare(ctx, [...plans.flatMap((plan) => evaluationsOf2(ctx, plan, baseSrc)), ...release.evaluations]);
  const prompts = await Promise.all([
    ...plans.map((plan) => evaluatePlan(ctx, plan, baseSrc)),
    ...release.promotions.map((promotion) => evaluatePromotion(ctx, promotion, release.manifestFile))
  ]);
  const gated = [...affected.flatMap((a) => a.head ? [a.head] : []), ...unchanged, ...release.promotions.map((p) => p.suiteOf)];
  return {
    prompts: [...prompts, ...release.rollbacks],
    lint: dedupeFindings([...lint, ...release.findings]),
    judgeModels: judgeModels(gated)
  };
}
function planBaseline(ctx, affected, policy, baseSrc) {
  const { base, head: prompt } = affected;
  if (!base || !prompt) return { affected, baseline: { source: "none" } };
  if (policy === "rerun") return { affected, baseline: { source: "rerun" } };
  const stored = storedBaseline(ctx, baseSrc, base, prompt);
  if (stored.state === "fresh") return { affected, baseline: { source: "stored", file: stored.file } };
  if (policy !== "stored") return { affected, baseline: { source: "rerun" } };
  const fix = "run mode baseline (promptgate baseline) on the base branch and commit the result, or use baseline: auto";
  const why2 = stored.state === "stale" ? `The stored baseline ${stored.path} is stale: it was made for another version of the prompt or suite` : stored.state === "missing" ? `There is no stored baseline ${stored.path} at the base commit` : stored.message;
  return { affected, baseline: { source: "error", message: `${why2}. To fix it, ${fix}.` } };
}
function planUnchanged(ctx, prompt, baseSrc) {
  const affected = { name: prompt.name, file: prompt.file, change: "unchanged", head: prompt };
  const stored = storedBaseline(ctx, baseSrc, prompt, prompt);
  return { affected, baseline: stored.state === "fresh" ? { source: "stored", file: stored.file } : { source: "none" } };
}
function evaluationsOf2(ctx, { affected, baseline }, baseSrc) {
  const { head: prompt, base } = affected;
  if (!prompt || baseline.source === "error") return [];
  return [
    { version: prompt, src: ctx.headSrc, suiteOf: prompt },
    ...baseline.source === "rerun" && base ? [{ version: base, src: baseSrc, suiteOf: prompt }] : []
  ];
}
async function evaluatePlan(ctx, plan, baseSrc) {
  const { affected, baseline } = plan;
  const prompt = affected.head;
  if (!prompt) return removedPromptReport(affected);
  const gateDefaults = ctx.head.config.gate;
  if (baseline.source === "error") return buildPromptReport({ affected, prompt, gateDefaults, error: baseline.message });
  try {
    const base = affected.base;
    const [candidate, rerun] = await Promise.all([
      evaluateTracked(ctx, prompt, ctx.headSrc, prompt, "candidate"),
      baseline.source === "rerun" && base ? evaluateTracked(ctx, base, baseSrc, prompt, "baseline") : void 0
    ]);
    const baseSide = baseline.source === "stored" ? storedSide(baseline.file) : rerun ? rerunSide(rerun, prompt) : void 0;
    return buildPromptReport({ affected, prompt, gateDefaults, candidate, ...baseSide ? { baseline: baseSide } : {} });
  } catch (err) {
    return buildPromptReport({ affected, prompt, gateDefaults, error: failure(ctx, err) });
  }
}

// src/engine/modes/release.ts
import { join as join4 } from "node:path";

// src/engine/registry/release.ts
function planRelease(project, registry, src, names) {
  const all = [...project.prompts, ...project.lintOnly];
  const chosen = names.length ? all.filter((p) => names.includes(p.name)) : all;
  const registryProblems = releaseFindings({ registry, prompts: all, src, config: project.config }).filter(
    (f) => f.rule !== "version-already-released" && f.severity === "error"
  );
  const plan = { targets: [], upToDate: [], refusals: [...registryProblems] };
  for (const prompt of chosen) {
    const entry = archived(registry, prompt.name, prompt.version);
    if (entry && entry.archive.hash === prompt.artifact.hash) {
      plan.upToDate.push(prompt);
      continue;
    }
    const own = promptFindings(project, prompt);
    if (entry)
      own.push(
        ...releaseFindings({ registry, prompts: [prompt], src, config: project.config }).filter(
          (f) => f.rule === "version-already-released"
        )
      );
    if (own.length) plan.refusals.push(...own);
    else plan.targets.push(prompt);
  }
  plan.refusals = dedupeFindings(plan.refusals);
  return plan;
}
function promptFindings(project, prompt) {
  const files = /* @__PURE__ */ new Set([prompt.file, prompt.suiteFile, prompt.suite.file, prompt.suite.dataset]);
  const unsound = project.lintOnly.includes(prompt);
  return [
    ...project.findings.filter((f) => files.has(f.file) && f.severity === "error"),
    ...lintPrompt({ prompt, config: project.config }).filter((f) => f.severity === "error"),
    ...unsound && !project.findings.some((f) => files.has(f.file)) ? [
      {
        rule: "invalid-file",
        severity: "error",
        file: prompt.suite.file,
        message: `the suite of ${prompt.name} does not load`
      }
    ] : []
  ];
}

// src/engine/modes/release.ts
async function runRelease(ctx) {
  const outcome = await releaseCurrentVersions(ctx);
  if (!ctx.opts.publishDir) return outcome;
  try {
    const { sha } = await commitOf(ctx.opts.root);
    const result = await publish(ctx.headSrc, ctx.head.config, { outDir: ctx.opts.publishDir, commit: sha });
    return { ...outcome, published: { manifest: join4(ctx.opts.publishDir, "manifest.json"), artifacts: result.artifacts } };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    ctx.errors.add(err.message);
    return outcome;
  }
}
async function releaseCurrentVersions(ctx) {
  const { head, headSrc, opts } = ctx;
  const plan = planRelease(head, loadRegistry(headSrc, head.config), headSrc, opts.prompts ?? []);
  for (const p of plan.upToDate) opts.log?.(`${p.name} ${p.version} is already released`);
  if (plan.refusals.length || !plan.targets.length) return { prompts: [], lint: plan.refusals, released: [] };
  const commit = await commitOf(opts.root);
  const dirty = await uncommitted(
    opts.root,
    plan.targets.flatMap((p) => p.artifact.dependencies)
  );
  if (dirty.length) {
    throw new UserError(
      `Uncommitted changes in ${dirty.join(", ")}: an archive records the commit it was released from, so commit them first (or stash them).`
    );
  }
  const scores2 = plan.targets.map((prompt) => {
    const stored = storedBaseline(ctx, headSrc, prompt, prompt);
    return { prompt, stored: stored.state === "fresh" ? stored.file : void 0 };
  });
  const toEvaluate = scores2.filter((s) => !s.stored).map((s) => s.prompt);
  await prepare(
    ctx,
    toEvaluate.map((prompt) => ({ version: prompt, src: headSrc, suiteOf: prompt }))
  );
  const evaluated = await Promise.all(
    scores2.map(async ({ prompt, stored }) => {
      if (stored) return { eval: { suite_hash: stored.suite_hash, metrics: stored.metrics } };
      const affected = { name: prompt.name, file: prompt.file, change: "modified", head: prompt };
      const gateDefaults = head.config.gate;
      try {
        const result = await evaluateTracked(ctx, prompt, headSrc, prompt, "candidate");
        const report = buildPromptReport({ affected, prompt, gateDefaults, candidate: result });
        const table = scoreTable(
          result,
          prompt.suite.metrics.map((m) => m.name)
        );
        return { report, ...report.status !== "error" && { eval: { suite_hash: prompt.artifact.suiteHash, metrics: table.metrics } } };
      } catch (err) {
        return { report: buildPromptReport({ affected, prompt, gateDefaults, error: failure(ctx, err) }) };
      }
    })
  );
  const prompts = evaluated.flatMap((e) => e.report?.status === "error" ? [e.report] : []);
  const outcome = { prompts, lint: [], judgeModels: judgeModels(toEvaluate) };
  if (evaluated.some((e) => !e.eval)) return { ...outcome, released: [] };
  const entries = await Promise.all(
    plan.targets.map(async (prompt, i) => ({
      path: archivePath(head.config, prompt.name, prompt.version),
      archive: await archiveOf(prompt, evaluated[i].eval, commit, opts.root, opts.env["GITHUB_SERVER_URL"])
    }))
  );
  for (const { path, archive } of entries) await writeArchive(opts.root, path, archive);
  return { ...outcome, released: entries.map((e) => e.path).sort() };
}
async function archiveOf(prompt, scores2, commit, root, serverUrl) {
  const url = await permalink(root, commit.sha, prompt.file, serverUrl);
  return toArchive(prompt.artifact, {
    source: { path: prompt.file, commit: commit.sha, ...url && { url } },
    eval: scores2,
    // The commit's time, not the clock's: every machine releasing this commit writes the same bytes.
    released_at: commit.date,
    tool_version: TOOL_VERSION
  });
}

// src/engine/modes/run.ts
var MODES = { pr: runPr, baseline: runBaseline, drift: runDrift, lint: runLint, release: runRelease };
async function run(opts) {
  const started = Date.now();
  const headSrc = new WorkTree(opts.root);
  const datasets = new DatasetMemo();
  const head = load(headSrc, opts, datasets);
  const configFile = head.config.file ?? opts.configPath ?? DEFAULT_CONFIG_PATH;
  const configFiles = /* @__PURE__ */ new Set([configFile, head.config.file ?? DEFAULT_CONFIG_PATH]);
  const configFindings = head.findings.filter((f) => configFiles.has(f.file));
  if (configFindings.some((f) => f.severity === "error")) return stoppedOnConfig(opts, configFile, configFindings, started);
  checkShardOptions(opts);
  checkPromptNames(head, opts.prompts);
  const ctx = createContext(opts, headSrc, head, datasets);
  await ctx.runner.removeStaleCacheTemps(started);
  const outcome = await MODES[opts.mode](ctx);
  const lint = outcome.lint;
  const errors = [...ctx.errors];
  const { prompts, result } = decide(outcome.prompts, lint, errors, {
    accept: Boolean(opts.accept),
    failOnRegression: opts.failOnRegression !== false
  });
  return {
    ...envelope(opts, result),
    lint,
    usage: roundedUsage(opts.merge ? sumUsage(opts.merge.map((p) => p.usage)) : ctx.runner.usage),
    // A merge lasts as long as its slowest shard, plus itself.
    duration_ms: Date.now() - started + Math.max(0, ...(opts.merge ?? []).map((p) => p.duration_ms)),
    prompts,
    models: [...new Set(prompts.flatMap((p) => p.model ? [p.model] : []).concat(outcome.judgeModels ?? []))].sort(),
    errors,
    ...outcome.baselinesWritten ? { baselines_written: outcome.baselinesWritten } : {},
    ...opts.shard && ctx.shardSamples ? { shard: { ...opts.shard, samples: ctx.shardSamples } } : {},
    ...outcome.released ? { released: outcome.released } : {},
    ...outcome.published ? { published: outcome.published } : {}
  };
}
function envelope(opts, result) {
  return {
    schema: "promptgate/report@1",
    result,
    mode: opts.mode,
    accepted: Boolean(opts.accept),
    base: { ref: opts.base?.ref ?? null, sha: opts.base?.sha ?? null },
    head: { ref: opts.head?.ref ?? null, sha: opts.head?.sha ?? null }
  };
}
function stoppedOnConfig(opts, file, findings, started) {
  const count3 = findings.filter((f) => f.severity === "error").length;
  const errors = [
    `${plural(count3, "configuration error")} (see the findings on ${file}): the run stopped before linting the prompts or calling any model; fix ${count3 === 1 ? "it" : "them"} and run again.`
  ];
  return {
    ...envelope(opts, runResult([], findings, errors)),
    lint: findings,
    usage: sumUsage([]),
    duration_ms: Date.now() - started,
    prompts: [],
    models: [],
    errors,
    stopped: "invalid-config"
  };
}
function checkShardOptions(opts) {
  if ((opts.shard || opts.merge) && opts.mode === "lint") {
    throw new UserError("mode lint makes no model call: there is nothing to shard or merge; drop the input shard");
  }
  const first = opts.merge?.[0];
  if (!first) return;
  const wanted = { mode: opts.mode, head: opts.head?.sha ?? null, base: opts.base?.sha ?? null };
  const made = { mode: first.mode, head: first.head.sha, base: first.base.sha };
  if (wanted.mode !== made.mode || wanted.head && wanted.head !== made.head || wanted.base && wanted.base !== made.base) {
    throw new UserError(
      `the partial reports were made by mode ${made.mode} at head ${made.head ?? "none"} against base ${made.base ?? "none"}, but this merge runs at head ${wanted.head ?? "none"} against base ${wanted.base ?? "none"}: merge in the same workflow run as the shards, after they finish`
    );
  }
}
function sumUsage(usages) {
  const total = { calls: 0, retries: 0, cached: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 };
  for (const u of usages) for (const key of Object.keys(total)) total[key] += u[key] ?? 0;
  return total;
}
function checkPromptNames(project, names) {
  const known = new Set([...project.prompts, ...project.lintOnly].map((p) => p.name));
  const unknown = (names ?? []).filter((n) => !known.has(n));
  if (!unknown.length) return;
  const list = [...known].sort().join(", ") || "none";
  const what = unknown.length > 1 ? `No prompts are named ${unknown.map((n) => `"${n}"`).join(", ")}` : `No prompt is named "${unknown[0]}"`;
  throw new UserError(`${what}; the prompts are: ${list}.`);
}

// src/engine/report/json.ts
import { createWriteStream } from "node:fs";
import { Readable as Readable2 } from "node:stream";
import { pipeline } from "node:stream/promises";
async function writeJsonReport(path, report) {
  await pipeline(Readable2.from(batched(jsonText(report, report.shard ? "" : "  "))), createWriteStream(path));
}
var SPLIT_DEPTH = 4;
function* jsonText(value, space, indent = "", depth = 0) {
  const list = Array.isArray(value) || value instanceof LazyList;
  if (depth >= SPLIT_DEPTH || value === null || typeof value !== "object" || !list && hasToJson(value)) {
    const text = JSON.stringify(value, null, space);
    yield space && depth > 0 ? text.replaceAll("\n", `
${indent}`) : text;
    return;
  }
  const entries = list ? listEntries(value) : Object.entries(value).filter(([, item]) => isJson(item));
  const [open, close] = list ? ["[", "]"] : ["{", "}"];
  const inner = indent + space;
  const newline = space ? `
${inner}` : "";
  let written = 0;
  for (const [key, item] of entries) {
    yield `${written++ > 0 ? "," : open}${newline}${list ? "" : `${JSON.stringify(key)}:${space ? " " : ""}`}`;
    yield* jsonText(item, space, inner, depth + 1);
  }
  yield written ? `${space ? `
${indent}` : ""}${close}` : open + close;
}
function* listEntries(items) {
  for (const item of items) yield ["", isJson(item) ? item : null];
}
function isJson(value) {
  return value !== void 0 && typeof value !== "function" && typeof value !== "symbol";
}
function hasToJson(value) {
  return typeof value.toJSON === "function";
}
function* batched(pieces) {
  let chunk = "";
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= 64 * 1024) {
      yield chunk;
      chunk = "";
    }
  }
  yield `${chunk}
`;
}

// node_modules/markdown-table/index.js
function defaultStringLength(value) {
  return value.length;
}
function markdownTable(table, options) {
  const settings = options || {};
  const align = (settings.align || []).concat();
  const stringLength = settings.stringLength || defaultStringLength;
  const alignments = [];
  const cellMatrix = [];
  const sizeMatrix = [];
  const longestCellByColumn = [];
  let mostCellsPerRow = 0;
  let rowIndex = -1;
  while (++rowIndex < table.length) {
    const row2 = [];
    const sizes2 = [];
    let columnIndex2 = -1;
    if (table[rowIndex].length > mostCellsPerRow) {
      mostCellsPerRow = table[rowIndex].length;
    }
    while (++columnIndex2 < table[rowIndex].length) {
      const cell = serialize(table[rowIndex][columnIndex2]);
      if (settings.alignDelimiters !== false) {
        const size = stringLength(cell);
        sizes2[columnIndex2] = size;
        if (longestCellByColumn[columnIndex2] === void 0 || size > longestCellByColumn[columnIndex2]) {
          longestCellByColumn[columnIndex2] = size;
        }
      }
      row2.push(cell);
    }
    cellMatrix[rowIndex] = row2;
    sizeMatrix[rowIndex] = sizes2;
  }
  let columnIndex = -1;
  if (typeof align === "object" && "length" in align) {
    while (++columnIndex < mostCellsPerRow) {
      alignments[columnIndex] = toAlignment(align[columnIndex]);
    }
  } else {
    const code = toAlignment(align);
    while (++columnIndex < mostCellsPerRow) {
      alignments[columnIndex] = code;
    }
  }
  columnIndex = -1;
  const row = [];
  const sizes = [];
  while (++columnIndex < mostCellsPerRow) {
    const code = alignments[columnIndex];
    let before = "";
    let after = "";
    if (code === 99) {
      before = ":";
      after = ":";
    } else if (code === 108) {
      before = ":";
    } else if (code === 114) {
      after = ":";
    }
    let size = settings.alignDelimiters === false ? 1 : Math.max(
      1,
      longestCellByColumn[columnIndex] - before.length - after.length
    );
    const cell = before + "-".repeat(size) + after;
    if (settings.alignDelimiters !== false) {
      size = before.length + size + after.length;
      if (size > longestCellByColumn[columnIndex]) {
        longestCellByColumn[columnIndex] = size;
      }
      sizes[columnIndex] = size;
    }
    row[columnIndex] = cell;
  }
  cellMatrix.splice(1, 0, row);
  sizeMatrix.splice(1, 0, sizes);
  rowIndex = -1;
  const lines = [];
  while (++rowIndex < cellMatrix.length) {
    const row2 = cellMatrix[rowIndex];
    const sizes2 = sizeMatrix[rowIndex];
    const cellsInRow = settings.fillRows === false ? Math.max(1, cellMatrix[rowIndex === 1 ? 0 : rowIndex].length) : mostCellsPerRow;
    columnIndex = -1;
    const line = [];
    while (++columnIndex < cellsInRow) {
      const cell = row2[columnIndex] || "";
      let before = "";
      let after = "";
      if (settings.alignDelimiters !== false) {
        const size = longestCellByColumn[columnIndex] - (sizes2[columnIndex] || 0);
        const code = alignments[columnIndex];
        if (code === 114) {
          before = " ".repeat(size);
        } else if (code === 99) {
          const half = size / 2;
          if (size % 2) {
            before = " ".repeat(half + 0.5);
            after = " ".repeat(half - 0.5);
          } else {
            before = " ".repeat(half);
            after = before;
          }
        } else {
          after = " ".repeat(size);
        }
      }
      if (settings.delimiterStart !== false && !columnIndex) {
        line.push("|");
      }
      if (settings.padding !== false && // Don’t add the opening space if we’re not aligning and the cell is
      // empty: there will be a closing space.
      !(settings.alignDelimiters === false && cell === "") && (settings.delimiterStart !== false || columnIndex)) {
        line.push(" ");
      }
      if (settings.alignDelimiters !== false) {
        line.push(before);
      }
      line.push(cell);
      if (settings.alignDelimiters !== false) {
        line.push(after);
      }
      if (settings.padding !== false) {
        line.push(" ");
      }
      if (settings.delimiterEnd !== false || columnIndex !== cellsInRow - 1) {
        line.push("|");
      }
    }
    lines.push(
      settings.delimiterEnd === false ? line.join("").replace(/ +$/, "") : line.join("")
    );
  }
  return lines.join("\n");
}
function serialize(value) {
  return value === null || value === void 0 ? "" : String(value);
}
function toAlignment(value) {
  const code = typeof value === "string" ? value.codePointAt(0) : 0;
  return code === 67 || code === 99 ? 99 : code === 76 || code === 108 ? 108 : code === 82 || code === 114 ? 114 : 0;
}

// src/engine/report/markdown.ts
var DEFAULT_TRIMMED_NOTE = "Some case details were trimmed to fit; the full report is in the JSON report.";
var DEFAULT_ACCEPT_LABEL = "promptgate:accept";
var NAME_CHARS = 100;
var MESSAGE_CHARS = 1e3;
var FULL_OUTPUT_CHARS = 2e3;
var SHORT_OUTPUT_CHARS = 300;
var ERRORED_IDS_SHOWN = 20;
var SEPARATOR = "\n\n";
var DETAILS_CLOSE = `${SEPARATOR}</details>`;
function renderMarkdown(report, opts = {}) {
  const maxLength = opts.maxLength ?? Infinity;
  const body = new Body([...headParts(report, opts), ...report.prompts.flatMap(promptParts), ...lintParts(report.lint)]);
  const footerPart = footer(report);
  const trimmedNote = opts.trimmedNote ?? DEFAULT_TRIMMED_NOTE;
  const tail = (trimmed) => (trimmed ? `${SEPARATOR}${trimmedNote}` : "") + `${SEPARATOR}${footerPart}`;
  if (body.length + tail(false).length <= maxLength) return body.render() + tail(false);
  trimCaseDetails(body, maxLength - tail(true).length);
  return fit(body.render(), tail(true), maxLength, opts.header);
}
var SHOWN_KINDS = ["regressed", "improved", "errored"];
var Body = class {
  constructor(parts) {
    this.parts = parts;
    this.length = parts.reduce((sum, part) => sum + separated(partLength(part)), -SEPARATOR.length);
  }
  parts;
  length;
  get sections() {
    return this.parts.filter((part) => typeof part !== "string");
  }
  change(section, mutate) {
    const before = separated(sectionLength(section));
    mutate();
    this.length += separated(sectionLength(section)) - before;
  }
  render() {
    return this.parts.map((part) => typeof part === "string" ? part : renderSection(part)).filter((text) => text !== "").join(SEPARATOR);
  }
};
var separated = (length) => length > 0 ? length + SEPARATOR.length : 0;
var partLength = (part) => typeof part === "string" ? part.length : sectionLength(part);
var DROP_ORDER = { improved: 0, errored: 1, regressed: 2 };
var MIN_KEPT = { improved: 0, errored: 0, regressed: 3 };
function trimCaseDetails(body, budget) {
  const sections = body.sections;
  const droppable = sections.flatMap(
    (section, order) => section.entries.map((_, index) => ({ section, index, order })).slice(MIN_KEPT[section.kind])
  );
  droppable.sort((a, b) => DROP_ORDER[a.section.kind] - DROP_ORDER[b.section.kind] || b.index - a.index || b.order - a.order);
  for (const { section, index } of droppable) {
    if (body.length <= budget) return;
    body.change(section, () => {
      section.kept = index;
      section.keptChars -= section.entries[index].text.length;
    });
  }
  const byDropOrder = sections.map((section, order) => ({ section, order })).sort((a, b) => DROP_ORDER[a.section.kind] - DROP_ORDER[b.section.kind] || b.order - a.order);
  for (const { section } of byDropOrder) {
    if (body.length <= budget) return;
    body.change(section, () => {
      const kept = section.entries.slice(0, section.kept);
      for (const entry of kept) entry.text = caseEntry(entry.detail, SHORT_OUTPUT_CHARS);
      section.keptChars = sumLengths(kept);
    });
  }
  for (const { section } of byDropOrder) {
    if (body.length <= budget) return;
    body.change(section, () => {
      section.kept = 0;
      section.keptChars = 0;
    });
  }
}
function fit(body, tail, maxLength, header = "") {
  if (body.length + tail.length <= maxLength) return body + tail;
  const headlineEnd = body.indexOf("\n", header.length + 1);
  if (maxLength - tail.length < (headlineEnd < 0 ? body.length : headlineEnd)) return cutAtLineEnd(body, maxLength);
  return cutAtLineEnd(body, maxLength - tail.length) + tail;
}
function cutAtLineEnd(text, maxLength) {
  if (text.length <= maxLength) return text;
  const end = text.lastIndexOf("\n", maxLength);
  return end > 0 ? text.slice(0, end).trimEnd() : text.slice(0, maxLength);
}
var sumLengths = (entries) => entries.reduce((sum, entry) => sum + entry.text.length, 0);
function detailsOpen(section) {
  const shown = section.kept < section.total ? ` (showing ${count(section.kept)})` : "";
  return `<details><summary>${plural(section.total, `${section.kind} case`)}${shown}</summary>${SEPARATOR}`;
}
function sectionLength(section) {
  if (section.kept === 0) return 0;
  return detailsOpen(section).length + section.keptChars + SEPARATOR.length * (section.kept - 1) + DETAILS_CLOSE.length;
}
function renderSection(section) {
  if (section.kept === 0) return "";
  const cases = section.entries.slice(0, section.kept).map((entry) => entry.text);
  return detailsOpen(section) + cases.join(SEPARATOR) + DETAILS_CLOSE;
}
function headParts(report, opts) {
  const evaluated = report.prompts.filter((p) => p.change !== "removed");
  const withMetrics = (test) => {
    const prompts = evaluated.filter((p) => p.metrics.some(test));
    return { prompts, metrics: prompts.reduce((sum, p) => sum + p.metrics.filter(test).length, 0) };
  };
  const regressed = withMetrics((m) => m.regressed);
  const belowMin = withMetrics((m) => m.below_min && !m.regressed);
  const errored = evaluated.filter((p) => p.status === "error");
  const lintErrors = report.lint.filter((f) => f.severity === "error").length;
  const fell = report.mode === "drift" ? "drifted below the stored baseline" : "regressed";
  const regression = regressed.metrics > 0 ? `${plural(regressed.metrics, "metric")} ${fell} in ${promptNames(regressed.prompts)}` : null;
  const accepted = report.accepted && regression !== null;
  const problems = [
    report.errors.length > 0 ? plural(report.errors.length, "run error") : null,
    accepted ? "regressions accepted" : regression,
    belowMin.metrics > 0 ? `${plural(belowMin.metrics, "metric")} below the minimum in ${promptNames(belowMin.prompts)}` : null,
    errored.length > 0 ? `${promptNames(errored)} errored` : null,
    lintErrors > 0 ? plural(lintErrors, "lint error") : null
  ].filter((problem) => problem !== null);
  const icon = report.result === "fail" ? "\u274C" : problems.length > 0 ? "\u26A0\uFE0F" : "\u2705";
  const title = problems.length > 0 ? problems.join("; ") : successTitle(report, evaluated.length);
  const headline = `## ${icon} promptgate: ${title}`;
  const parts = [opts.header ? `${opts.header}
${headline}` : headline];
  if (accepted) parts.push(acceptance(regression, opts));
  else if (report.prompts.some((p) => p.verdict.waived === "gate-off")) {
    parts.push(opts.gateOffNote ?? "These do not fail the check: the gate is set not to fail on a regression.");
  }
  if (report.prompts.length === 0 && report.mode === "pr" && problems.length > 0 && !report.stopped)
    parts.push("No prompt is affected by this change.");
  if (report.errors.length > 0) parts.push(report.errors.map((e) => `- ${escapeText(e, MESSAGE_CHARS)}`).join("\n"));
  if (report.baselines_written?.length) {
    parts.push(`Baselines written:
${report.baselines_written.map((file) => `- ${inlineCode(file)}`).join("\n")}`);
  }
  if (report.released?.length) {
    parts.push(`Released (commit these files):
${report.released.map((file) => `- ${inlineCode(file)}`).join("\n")}`);
  }
  if (report.published) {
    parts.push(`Published ${inlineCode(report.published.manifest)} and ${plural(report.published.artifacts.length, "artifact")}.`);
  }
  return parts;
}
function successTitle(report, evaluated) {
  if (report.mode === "lint") return "lint passed";
  if (report.mode === "baseline") return `baselines written for ${plural(evaluated, "prompt")}`;
  if (report.mode === "release") {
    return report.released?.length ? `released ${plural(report.released.length, "prompt version")}` : "nothing to release: every current version is archived";
  }
  if (report.prompts.length === 0) return report.mode === "pr" ? "no prompt is affected by this change" : "no prompts to evaluate";
  if (evaluated === 0) return `nothing to evaluate (${plural(report.prompts.length, "prompt")} removed)`;
  return report.mode === "drift" ? `no drift in ${plural(evaluated, "prompt")}` : `no regressions in ${plural(evaluated, "prompt")}`;
}
function acceptance(regression, opts) {
  const label = inlineCode(opts.acceptLabel ?? DEFAULT_ACCEPT_LABEL);
  const by = opts.acceptedBy ? ` by ${escapeText(`@${opts.acceptedBy}`, NAME_CHARS)}` : "";
  return `${regression}; accepted${by} with the ${label} label.`;
}
function promptNames(prompts) {
  return prompts.length > 3 ? plural(prompts.length, "prompt") : prompts.map((p) => escapeText(p.name, NAME_CHARS)).join(", ");
}
var STATUS_ICON = {
  pass: "\u2705",
  regressed: "\u274C",
  "below-min": "\u274C",
  error: "\u274C",
  new: "\u{1F195}",
  removed: "\u{1F5D1}\uFE0F"
};
var CHANGE_TEXT = {
  added: "added",
  modified: "modified",
  removed: "removed",
  dependency: "dependency changed",
  unchanged: "unchanged",
  promotion: "promotion",
  rollback: "rollback"
};
var BASELINE_TEXT = {
  stored: "stored baseline",
  rerun: "baseline rerun from the base branch",
  none: "no baseline"
};
function promptParts(p) {
  const name = escapeText(p.name, NAME_CHARS);
  if (p.change === "removed") return [`${STATUS_ICON.removed} **${name}** (${inlineCode(p.file)}): removed, not evaluated.`];
  const version = (v) => v === null ? "\u2014" : escapeText(v, NAME_CHARS);
  const pointer = p.pointer && `${p.pointer.segment ? `${escapeText(p.pointer.segment, NAME_CHARS)} ` : ""}${escapeText(p.pointer.label, NAME_CHARS)}`;
  const move = `${pointer} ${version(p.version.base)} -> ${version(p.version.head)}`;
  if (p.change === "rollback") {
    return [
      `### ${STATUS_ICON[p.status]} ${name} \xB7 rollback \xB7 ${move}${SEPARATOR}Rollback to a version released earlier: never blocked by the gate, no model call. ${inlineCode(p.file)}`
    ];
  }
  const lines = [
    pointer ? `### ${STATUS_ICON[p.status]} ${name} \xB7 ${move}` : `### ${STATUS_ICON[p.status]} ${name} \xB7 ${CHANGE_TEXT[p.change]} \xB7 ${version(p.version.base)} \u2192 ${version(p.version.head)}`,
    [
      `Model ${p.model === null ? "\u2014" : inlineCode(p.model)}`,
      pointer ? `${version(p.version.head)} against ${version(p.version.base)}, both rendered from their archive entries on this suite` : BASELINE_TEXT[p.baseline.source],
      `${plural(p.samples_per_case, "sample")} per case`,
      inlineCode(p.file)
    ].join(" \xB7 ")
  ];
  if (p.error) lines.push(`**Error:** ${escapeText(p.error, MESSAGE_CHARS)}`);
  if (p.metrics.length > 0) lines.push(metricTable(p.metrics));
  lines.push(promptStats(p));
  if (p.metrics.length > 0) lines.push(gateLine(p));
  if (p.cases.errored.length > 0) lines.push(erroredIds("Errored cases", p.cases.errored));
  if (p.cases.base_errored?.length) lines.push(erroredIds("Errored on production", p.cases.base_errored));
  if (p.cases.excluded?.length) {
    lines.push(
      `${erroredIds("Left out of the comparison", p.cases.excluded)} (a sample errored on one side: neither a regression nor an improvement)`
    );
  }
  return [lines.join(SEPARATOR), ...caseSections(p)];
}
var ALPHA_TEXT = {
  config: "set in the gate",
  "auto-nondeterministic": "auto: the prompt samples",
  "auto-deterministic": "auto: the prompt is deterministic"
};
function gateLine(p) {
  const levels = [
    ...new Set(p.metrics.map((m) => `${m.alpha === null ? "any drop fails" : `\u03B1 = ${m.alpha}`} (${ALPHA_TEXT[m.alpha_source]})`))
  ];
  const gate = `Gate: ${levels.join("; ")}.`;
  const compared = p.metrics.some((m) => m.baseline !== null);
  if (!(p.nondeterministic && p.samples_per_case === 1 && compared)) return gate;
  return `${gate}

\u26A0\uFE0F Low power: this prompt samples and each case ran once, so a real drop can pass unseen. Set \`repeat: 3\` in its eval suite to catch a 10-point drop on 100 cases about 95% of the time.`;
}
function metricTable(metrics) {
  return markdownTable(
    [
      ["Metric", "Production", "This PR", "\u0394", "95% CI", "Status"],
      ...metrics.map((m) => [
        escapeText(m.name, NAME_CHARS),
        pct(m.baseline),
        pct(m.candidate),
        pp(m.delta),
        interval(m.ci95),
        metricStatus(m)
      ])
    ],
    { alignDelimiters: false }
  );
}
function metricStatus(m) {
  const failures = [m.regressed ? "regressed" : null, m.below_min ? `below min ${pct(m.gate.min ?? null)}` : null].filter(
    (failure2) => failure2 !== null
  );
  const statuses = [
    failures.length > 0 ? `\u274C ${failures.join(", ")}` : null,
    // Not significant: a reviewer should weigh it, not panic (the gate still counts it without alpha).
    m.likely_noise ? `\u26A0\uFE0F within noise (p = ${m.p_value?.toFixed(2)})` : null
  ].filter((status) => status !== null);
  if (statuses.length > 0) return statuses.join(", ");
  return m.baseline === null ? "\u{1F195} new" : "\u2705 pass";
}
function promptStats(p) {
  const { regressed, improved, errored } = p.cases;
  const tokens = p.usage.input_tokens + p.usage.output_tokens;
  return [
    `Cases: ${count(regressed.length)} regressed, ${count(improved.length)} improved, ${count(errored.length)} errored`,
    `error rate ${pct(p.error_rate)} of ${plural(p.samples, "sample")}` + (p.base_error_rate !== void 0 ? ` (production ${pct(p.base_error_rate)} of ${plural(p.base_samples ?? 0, "sample")})` : ""),
    `latency p50 ${duration(p.latency_ms.p50)}, p95 ${duration(p.latency_ms.p95)}`,
    `${plural(tokens, "token")}`,
    usd(p.usage.cost_usd)
  ].join(" \xB7 ");
}
function erroredIds(label, ids) {
  const shown = ids.slice(0, ERRORED_IDS_SHOWN).map((id) => escapeText(id, NAME_CHARS));
  const more = ids.length > shown.length ? ` and ${count(ids.length - shown.length)} more` : "";
  return `${label}: ${shown.join(", ")}${more}`;
}
function caseSections(p) {
  if (!hasChangedCases(p)) return [];
  const kindOf = caseKindOf(p);
  const shown = new Map(SHOWN_KINDS.map((kind) => [kind, []]));
  for (const detail of p.details) {
    const entries = shown.get(kindOf(detail.id));
    if (!entries) break;
    entries.push({ detail, text: caseEntry(detail, FULL_OUTPUT_CHARS) });
  }
  return SHOWN_KINDS.flatMap((kind) => {
    const entries = shown.get(kind);
    if (entries.length === 0) return [];
    const total = Math.max(entries.length, p.cases[kind].length);
    return [{ kind, total, entries, kept: entries.length, keptChars: sumLengths(entries) }];
  });
}
function caseEntry(detail, outputChars) {
  const scores2 = Object.entries(detail.scores).map(
    ([metric, [base, candidate]]) => `${escapeText(metric, NAME_CHARS)} ${pct(base)} \u2192 ${pct(candidate)}`
  );
  const input = JSON.stringify({ vars: detail.vars, expected: detail.expected }, null, 2);
  const output = (text, missing) => text === void 0 ? `_${missing}_` : codeBlock(text, { maxChars: outputChars });
  return [
    [`**${escapeText(detail.id, NAME_CHARS)}**`, ...scores2].join(" \xB7 "),
    ...detail.error ? [`Error: ${escapeText(detail.error, MESSAGE_CHARS)}`] : [],
    ...detail.baseline_error ? [`Production error: ${escapeText(detail.baseline_error, MESSAGE_CHARS)}`] : [],
    ...Object.entries(detail.reasons ?? {}).map(
      ([metric, reason]) => `Why ${escapeText(metric, NAME_CHARS)}: ${escapeText(reason, MESSAGE_CHARS)}`
    ),
    "Input:",
    codeBlock(input, { language: "json", maxChars: outputChars }),
    "Production output:",
    output(detail.baseline_output, "not stored"),
    "This PR's output:",
    output(detail.candidate_output, "none")
  ].join(SEPARATOR);
}
function lintParts(findings) {
  if (findings.length === 0) return [];
  const items = findings.map((f) => {
    const location = [f.file, f.line, f.line === void 0 ? void 0 : f.column].filter((x) => x !== void 0).join(":");
    const icon = f.severity === "error" ? "\u274C" : "\u26A0\uFE0F";
    return `- ${icon} ${inlineCode(f.rule)} (${f.severity}) ${inlineCode(location)}: ${escapeText(f.message, MESSAGE_CHARS)}`;
  });
  return [`### Lint

${items.join("\n")}`];
}
function footer(report) {
  const { usage } = report;
  const items = [
    report.models.length > 0 ? `Models: ${report.models.map((m) => escapeText(m, NAME_CHARS)).join(", ")}` : null,
    plural(usage.calls, "call"),
    plural(usage.cached, "cache hit"),
    plural(usage.retries, "retry", "retries"),
    `${plural(usage.input_tokens + usage.output_tokens, "token")} (${count(usage.input_tokens)} in, ${count(usage.output_tokens)} out)`,
    usd(usage.cost_usd),
    duration(report.duration_ms)
  ].filter((item) => item !== null);
  return `<sub>${items.join(" \xB7 ")}</sub>`;
}

// src/github/comment-format.ts
var COMMENT_MARKER = "<!-- promptgate -->";
var GITHUB_COMMENT_LIMIT = 65536;
var TRIMMED_NOTE = "Some case details were trimmed to fit GitHub's comment limit; the full report is in the job's promptgate-report.json artifact.";
var COMMENT_FORMAT = {
  header: COMMENT_MARKER,
  maxLength: GITHUB_COMMENT_LIMIT,
  trimmedNote: TRIMMED_NOTE
};

// src/cli/progress.ts
var import_cli_progress = __toESM(require_cli_progress(), 1);

// src/progress.ts
function progressLines(log) {
  let lastTenth = -1;
  return (done, total) => {
    if (!total) return;
    const tenth = Math.floor(done / total * 10);
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    log(`promptgate: ${done}/${total} samples evaluated`);
  };
}

// src/cli/progress.ts
var FORMAT2 = " {value}/{total} samples \xB7 {rate}/s \xB7 ETA {left}";
var TEXT_WIDTH = 50;
function progressBar(stream) {
  let done = 0;
  let total = 0;
  if (!stream.isTTY) {
    const lines = progressLines((line) => stream.write(`${line}
`));
    return {
      update(d, t) {
        done = d;
        total = t;
        lines(d, t);
      },
      end() {
      },
      log(message) {
        stream.write(`${message}
`);
      },
      get done() {
        return done;
      },
      get total() {
        return total;
      }
    };
  }
  const columns = stream.columns || 80;
  const bar = new import_cli_progress.SingleBar({
    stream,
    format: `{bar}${FORMAT2}`,
    barsize: Math.max(4, Math.min(30, columns - TEXT_WIDTH)),
    barCompleteChar: "\u2588",
    barIncompleteChar: "\u2591",
    // Clip to the terminal's width (read at every redraw, so a resize is followed).
    linewrap: true,
    hideCursor: true,
    clearOnComplete: true,
    fps: 10
  });
  const started = Date.now();
  let running = false;
  const payload = () => {
    const perSecond = done / Math.max((Date.now() - started) / 1e3, 1e-3);
    return {
      rate: perSecond.toFixed(perSecond >= 10 ? 0 : 1),
      left: done > 0 && total > done ? duration((total - done) / perSecond * 1e3) : done >= total ? "0 s" : "-"
    };
  };
  return {
    update(d, t) {
      done = d;
      if (!running) {
        if (!t) return;
        total = t;
        bar.start(t, d, payload());
        running = true;
      } else if (t !== total) bar.setTotal(t);
      total = t;
      bar.update(d, payload());
    },
    end() {
      if (running) bar.stop();
      running = false;
    },
    log(message) {
      stream.write(`${running ? "\r\x1B[K" : ""}${message}
`);
    },
    get done() {
      return done;
    },
    get total() {
      return total;
    }
  };
}

// src/cli/summary.ts
var CASES_SHOWN = 5;
function summary(report) {
  const lines = [];
  for (const f of report.lint) lines.push(`${formatLocation(f)}: ${f.severity} [${f.rule}] ${f.message}`);
  for (const p of report.prompts) lines.push(...promptLines(p));
  for (const e of report.errors) lines.push(`error: ${e}`);
  if (report.baselines_written?.length) lines.push(`Baselines written: ${report.baselines_written.join(", ")}`);
  if (report.mode === "release") lines.push(...releaseLines(report));
  lines.push(resultLine(report));
  return `${lines.join("\n")}
`;
}
function releaseLines(report) {
  if (report.result === "fail") return ["Nothing released: fix the problems above and run promptgate release again."];
  if (!report.released?.length) return ["Nothing to release: every current version is archived."];
  return [...report.released.map((file) => `released ${file}`), "Commit these files: released versions are immutable."];
}
function promptLines(p) {
  const mark = p.verdict.blocks ? "FAIL" : p.status === "removed" ? "--  " : "ok  ";
  const lines = [`${mark} ${p.name} (${p.change}, ${p.status})`];
  if (p.error) lines.push(`     ${p.error}`);
  for (const m of p.metrics) lines.push(`     ${m.name}: ${scores(m)}${why(m)}`);
  if (p.error_rate > 0 && !p.error) lines.push(`     ${pct(p.error_rate)} of ${plural(p.samples, "sample")} errored`);
  const failing = [
    ["regressed cases", p.cases.regressed],
    ["errored cases", p.cases.errored]
  ];
  for (const [label, ids] of failing) if (ids.length) lines.push(`     ${label}: ${firstFew(ids)}`);
  return lines;
}
function scores(m) {
  return m.baseline === null ? pct(m.candidate) : `${pct(m.baseline)} -> ${pct(m.candidate)} (${pp(m.delta)})`;
}
function why(m) {
  const reasons = [];
  if (m.regressed) reasons.push(m.likely_noise ? "regressed (within noise)" : "regressed");
  if (m.below_min) reasons.push(`below min ${pct(m.gate.min ?? null)}`);
  return reasons.length ? ` ${reasons.join(", ")}` : "";
}
function firstFew(ids) {
  const shown = ids.slice(0, CASES_SHOWN).join(", ");
  return ids.length > CASES_SHOWN ? `${shown} (+${count(ids.length - CASES_SHOWN)} more)` : shown;
}
function resultLine(report) {
  const u = report.usage;
  const failed = report.prompts.filter((p) => p.verdict.blocks);
  const evaluated = report.prompts.filter((p) => p.status !== "removed").length;
  const what = report.mode === "lint" ? `${plural(report.lint.length, "finding")}` : report.stopped ? "stopped on the configuration" : evaluated ? `${failed.length ? `${count(failed.length)} of ` : ""}${plural(evaluated, "prompt")}${failed.length ? " failed" : ""}` : report.mode === "pr" ? "no prompt is affected by this change (--all evaluates every prompt)" : "no prompt evaluated";
  return `${report.result.toUpperCase()}: ${what}; ${plural(u.calls, "call")}, ${count(u.cached)} cached, ${usd(u.cost_usd)}, ${duration(report.duration_ms)}`;
}

// src/cli/run-engine.ts
var EXIT_INTERRUPTED = 130;
async function runEngine(command, values, request, io, refs) {
  const { baseRef: _resolvedInRefs, baseOptional, ...mode } = request;
  const shard = values.shard === void 0 ? void 0 : parseShardOption(values.shard, command);
  if (shard && !values.json) throw new UsageError("--shard needs --json FILE: the partial report is what promptgate merge reads.", command);
  const concurrency = numberSetting("--concurrency", SETTINGS.concurrency, values.concurrency, command);
  const maxCostUsd = numberSetting("--max-cost-usd", SETTINGS.maxCostUsd, values["max-cost-usd"], command);
  const head = await refs.head;
  const base = refs.base && !(baseOptional && head.sha === null) ? { base: { sha: await refs.base.sha, ref: refs.base.ref }, ...refs.changes ? { changedFiles: refs.changes } : {} } : {};
  const bar = progressBar(io.stderr);
  const options = {
    ...mode,
    root: io.cwd,
    ...values.config ? { configPath: values.config } : {},
    ...base,
    ...shard ? { shard } : {},
    head,
    prompts: values.prompt ?? [],
    ...concurrency ? { concurrency } : {},
    cache: !values["no-cache"],
    ...maxCostUsd !== void 0 ? { maxCostUsd } : {},
    env: io.env,
    onProgress: (done, total) => bar.update(done, total),
    log: (message) => bar.log(message)
  };
  const interrupt = () => {
    bar.end();
    const kept = options.cache && options.mode !== "drift" ? "every answer received is in the response cache, so running the same command again does not pay for it twice" : `nothing was cached (${options.mode === "drift" ? "drift never uses the cache" : "--no-cache"})`;
    io.stderr.write(`promptgate: interrupted after ${bar.done}/${bar.total} samples; ${kept}.
`);
    process.exit(EXIT_INTERRUPTED);
  };
  process.once("SIGINT", interrupt);
  const report = await run(options).finally(() => {
    process.off("SIGINT", interrupt);
    bar.end();
  });
  if (values.json) await writeJsonReport(resolve(io.cwd, values.json), report);
  if (shard && !report.stopped) {
    const samples = report.prompts.reduce((n, p) => n + p.samples, 0);
    io.stdout.write(`Shard ${shard.index}/${shard.count}: ${samples} samples evaluated; partial report in ${values.json}.
`);
    return EXIT.pass;
  }
  if (values.html) await writeHtmlReport(resolve(io.cwd, values.html), report);
  io.stdout.write(values.markdown ? `${renderMarkdown(report, COMMENT_FORMAT)}
` : summary(report));
  if (report.stopped) return EXIT.usage;
  return report.result === "pass" ? EXIT.pass : EXIT.fail;
}
function parseShardOption(text, command) {
  try {
    return parseShard(text, "--shard");
  } catch (err) {
    throw err instanceof UserError ? new UsageError(err.message, command) : err;
  }
}
export {
  runEngine
};
