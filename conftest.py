"""Keep test runs away from the developer's var/ folder: attachments go to a throwaway directory."""

import os
import tempfile

os.environ.setdefault("KYCTRIAGE_DATA_DIR", tempfile.mkdtemp(prefix="kyctriage-test-"))
