# The app on a school's own server:
#   docker build -t nn-playground . && docker run -p 8501:8501 nn-playground
# then open http://SERVER:8501 (README, "Deploy"). Nothing is fetched from outside
# at run time: the MNIST files (data/), the bundled model and the tab's icon
# (assets/) are in the image.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The requirements first, so that a change in the code does not reinstall them.
COPY requirements.txt ./
RUN pip install -r requirements.txt

# Only what the app runs: the frame, the pages, the app-side package, the engine,
# its data and assets, and the server's settings (.streamlit/config.toml).
COPY .streamlit/ .streamlit/
COPY app.py ./
COPY app_pages/ app_pages/
COPY ui/ ui/
COPY engine/ engine/
COPY data/ data/
COPY assets/ assets/

# The app writes nothing to disk: it runs as a user of its own, not as root.
RUN useradd --create-home learner
USER learner

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"
CMD ["streamlit", "run", "app.py", "--server.port", "8501", "--server.address", "0.0.0.0"]
