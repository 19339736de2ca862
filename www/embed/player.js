// The fake player: the play button only animates the progress bar.
(function () {
  "use strict";
  var button = document.querySelector("[data-play]");
  var status = document.querySelector("[data-status]");
  button.addEventListener("click", function () {
    var playing = document.body.classList.toggle("playing");
    status.textContent = playing ? "Playing (demo: there is no real video)." : "Paused.";
    button.setAttribute("aria-label", playing ? "Pause lesson 1" : "Play lesson 1");
  });
})();
