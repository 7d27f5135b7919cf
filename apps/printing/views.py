from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .documents import pdf_response
from .models import PrintJob


def _job_for(request, pk) -> PrintJob:
    # A print job belongs to the person who started it; nobody else sees it.
    return get_object_or_404(PrintJob.objects.defer("pdf", "upload"), pk=pk, owner=request.user)


@login_required
def job_detail(request, pk):
    job = _job_for(request, pk)
    template = "printing/_job_status.html" if request.htmx else "printing/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def job_download(request, pk):
    job = get_object_or_404(PrintJob.objects.defer("upload"), pk=pk, owner=request.user)
    if job.state != PrintJob.State.DONE or not job.pdf:
        raise Http404
    return pdf_response(bytes(job.pdf), job.filename, inline=False)
