// The new-film form: fill the slug from the title while it is typed, until the owner types in
// the slug box themselves (emptying it hands it back to the title). Without this script the
// server makes the same slug from the title when the box is left empty (app/search/text.py).
(function () {
  "use strict";
  var UNDECOMPOSED = {
    "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe",
    "þ": "th", "ß": "ss"
  };

  function slugOf(title) {
    var folded = title.toLowerCase().replace(/[łøđðħıæœþß]/g, function (letter) {
      return UNDECOMPOSED[letter];
    }).normalize("NFKD").replace(/\p{M}/gu, "");
    var words = folded.match(/[a-z0-9]+/g) || [];
    return words.join("-").slice(0, 120).replace(/^-+|-+$/g, "");
  }

  // On the document, so that it outlives htmx putting a corrected form in place.
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (!form || !form.hasAttribute("data-slug-from-title")) {
      return;
    }
    var slug = form.elements.slug;
    if (event.target === slug) {
      slug.dataset.filled = slug.value === "" ? "" : "owner";
    } else if (event.target === form.elements.title && slug.dataset.filled !== "owner") {
      if (slug.value === "" || slug.dataset.filled === "title") {
        slug.value = slugOf(event.target.value);
        slug.dataset.filled = "title";
      }
    }
  });
})();
