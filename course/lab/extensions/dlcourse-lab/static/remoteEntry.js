// dlcourse-lab: a prebuilt JupyterLab extension, written by hand because it needs no build.
//
// nbgrader puts its Validate button on every notebook, but only assignments have tests to
// validate. This plugin marks each notebook under lectures/ with the class "dlcourse-lecture"
// and hides the button there. JupyterLab loads a prebuilt extension as a module-federation
// container: an object with init(shareScope) and get(module) on window._JUPYTERLAB[name].
// The plugin shares no package with JupyterLab, so init has nothing to do.
(function () {
  "use strict";

  var LECTURE_CLASS = "dlcourse-lecture";
  var LECTURE_PATH = /(^|\/)lectures\/[^/]+\.ipynb$/;

  var plugin = {
    id: "dlcourse-lab:lecture-toolbar",
    description: "Hides nbgrader's Validate button on lectures, which have no tests to validate.",
    autoStart: true,
    activate: function (app) {
      var style = document.createElement("style");
      style.textContent = "." + LECTURE_CLASS + " .validate-button { display: none; }";
      document.head.appendChild(style);

      function mark() {
        var widgets = app.shell.widgets("main");
        var next = widgets.next();
        // Lumino iterators are JavaScript iterators since Lumino 2 (JupyterLab 4).
        while (!next.done) {
          var widget = next.value;
          var path = widget.context && widget.context.path;
          if (path) {
            widget.node.classList.toggle(LECTURE_CLASS, LECTURE_PATH.test(path));
          }
          next = widgets.next();
        }
      }
      app.shell.layoutModified.connect(mark);
      app.shell.currentChanged.connect(mark);
      app.restored.then(mark);
    }
  };

  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB["dlcourse-lab"] = {
    init: function () {
      return Promise.resolve();
    },
    get: function (module) {
      if (module !== "./extension") {
        return Promise.reject(new Error("dlcourse-lab has no module " + module));
      }
      return Promise.resolve(function () {
        return { __esModule: true, default: [plugin] };
      });
    }
  };
})();
