FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY tools ./tools
RUN pip install --no-cache-dir -c constraints.txt -r <(python tools/deps.py) 2>/dev/null \
    || (python tools/deps.py > /tmp/req.txt && pip install --no-cache-dir -c constraints.txt -r /tmp/req.txt)
COPY . .
ENV DJANGO_SETTINGS_MODULE=backend.settings.production PYTHONUNBUFFERED=1
EXPOSE 8000
CMD ["python", "-m", "backend.server", "-b", "0.0.0.0", "-p", "8000", "--proxy-headers", "backend.asgi:application"]
