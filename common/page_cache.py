"""The mark a view puts on a page that is the same for every anonymous visitor.

`cms.page_cache.PageCacheMiddleware` stores only responses marked so (Wagtail pages are marked
by a hook in cms when they have no view restriction); every other view is never cached.
"""

import functools

#: The request attribute the middleware reads.
ATTRIBUTE = "page_cache_allowed"
#: Set by the middleware on a request it may answer from the cache: the query string its key holds.
KEYED_QUERY = "page_cache_query"


def allow_page_cache(request) -> None:
    """This response, to this request, is the same for every anonymous visitor.

    A shared page is stored under its query parameters that change pages, so it is rendered from
    those alone: the others (utm_*, fbclid, anything unknown) are taken out before it reads any.
    """
    setattr(request, ATTRIBUTE, True)
    keyed = getattr(request, KEYED_QUERY, None)
    if keyed is not None and keyed.urlencode() != request.GET.urlencode():
        request.GET = keyed
        request.META["QUERY_STRING"] = keyed.urlencode()


def shared_page(view):
    """A view whose page is the same for every anonymous visitor (and its query string)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        allow_page_cache(request)
        return view(request, *args, **kwargs)

    return wrapped
