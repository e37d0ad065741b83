// Likes without reloading the page. Each like form is a plain form that works without this
// script; here it is sent with fetch() and the review's count and button are updated in place.
(function () {
  "use strict";

  function likesText(count) {
    return count.toLocaleString("en-US") + (count === 1 ? " like" : " likes");
  }

  function show(form, liked, count) {
    var review = form.closest(".review");
    var counter = review && review.querySelector(".likes-count");
    if (counter) {
      counter.textContent = likesText(count);
    }
    var button = form.querySelector("button");
    form.action = liked ? form.dataset.unlikeUrl : form.dataset.likeUrl;
    button.textContent = liked ? "Liked" : "Like";
    button.setAttribute("aria-pressed", liked ? "true" : "false");
    button.classList.toggle("secondary", liked);
  }

  function note(form, message) {
    var status = form.querySelector(".like-status");
    if (!status) {
      status = document.createElement("span");
      status.className = "like-status";
      status.setAttribute("role", "status");
      form.appendChild(status);
    }
    status.textContent = message;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("like-form")) {
      return;
    }
    if (!window.fetch || !form.dataset.likeUrl || !form.dataset.unlikeUrl) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          throw new Error("not an answer for this script");
        }
        return response.json().then(function (data) {
          show(form, data.liked, data.likes_count);
          if (!response.ok) {
            note(form, data.message);
          }
          button.disabled = false;
        });
      })
      .catch(function () {
        // Anything unexpected (signed out, offline, a server error): post the plain form.
        button.disabled = false;
        form.submit();
      });
  });
})();
