// LeakSanitizer suppressions for the image tests, compiled into the test binary so that they
// apply however it is run (ctest, directly, a debugger) without LSAN_OPTIONS.
//
// libx265, which the tests use only to *write* HEIC files (through libvips's heifsave), keeps a
// few process-lifetime allocations (x265_malloc from its encoder set-up) that LSan reports as
// direct leaks at exit. pixlake's decoder never calls x265 (HEIC decoding is libde265, AVIF
// dav1d/aom). libvips and GLib's one-time globals stay reachable and need no entry.
extern "C" const char* __lsan_default_suppressions();
extern "C" const char* __lsan_default_suppressions() { return "leak:libx265.so\n"; }
