FROM python:3.11-slim
WORKDIR /app
# Tesseract reads text in photos so PHI on whiteboards, wristbands and screens is filled.
RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml constraints.txt ./
COPY tools ./tools
# /bin/sh has no <(...): write the pinned requirements to a file first.
RUN python tools/deps.py > /tmp/requirements.txt \
    && pip install --no-cache-dir -c constraints.txt -r /tmp/requirements.txt
COPY . .
ENV DJANGO_SETTINGS_MODULE=backend.settings.production PYTHONUNBUFFERED=1
# Hashed static files (and their manifest) live in the image, so every web container has them:
# without the manifest, production's storage answers every page with a 500. The key is a
# throwaway (collectstatic signs nothing); the real SECRET_KEY comes from the environment.
RUN SECRET_KEY=collectstatic-only-not-used-at-run-time python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["python", "-m", "backend.server", "-b", "0.0.0.0", "-p", "8000", "--proxy-headers", "backend.asgi:application"]
