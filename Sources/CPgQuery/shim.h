#include <pg_query.h>

/// The current frame's address, always on the thread's real stack (a Swift local's address is not
/// when AddressSanitizer moves locals to its fake stack). For ModelCompiler's StackGuard; it lives
/// here because this is ModelCompiler's one C header.
static inline unsigned long sqlt_stack_address(void) { return (unsigned long)__builtin_frame_address(0); }
