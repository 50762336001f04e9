// The system libpq header (apt: libpq-dev). No logic lives here.
#include <libpq-fe.h>
