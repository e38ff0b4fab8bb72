#ifndef ABL_CLOCK_H
#define ABL_CLOCK_H

/* Milliseconds since an arbitrary fixed point, monotonic (never steps back). */
double abl_monotonic_ms(void);

#endif
