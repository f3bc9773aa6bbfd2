def headcount(request, pk):
    raise NotImplementedError
