// LeakSanitizer suppressions for the pixlake binary (used by the sanitizer build of the CLI
// tests), compiled in so that they apply however it is run, without LSAN_OPTIONS.
//
// `pixlake map` draws its legend with libvips' text operation (Pango), which initialises
// fontconfig once per process; fontconfig keeps its configuration and font caches for the
// process lifetime (freed only by FcFini, which Pango never calls) and LSan reports them as
// leaks at exit. Nothing of pixlake's own allocations is suppressed.
extern "C" const char* __lsan_default_suppressions();
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
