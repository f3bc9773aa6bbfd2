"""The mark a view puts on a page that is the same for every anonymous visitor.

`cms.page_cache.PageCacheMiddleware` stores only responses marked so (Wagtail pages are marked
by a hook in cms when they have no view restriction); every other view is never cached.
"""

import functools

#: The request attribute the middleware reads.
ATTRIBUTE = "page_cache_allowed"


def allow_page_cache(request) -> None:
    """This response, to this request, is the same for every anonymous visitor."""
    setattr(request, ATTRIBUTE, True)


def shared_page(view):
    """A view whose page is the same for every anonymous visitor (and its query string)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        allow_page_cache(request)
        return view(request, *args, **kwargs)

    return wrapped
