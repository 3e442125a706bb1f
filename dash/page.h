/* The dashboard page (dash/page.html), embedded at build time. */
#ifndef DASH_PAGE_H
#define DASH_PAGE_H

#include <stddef.h>

extern const unsigned char dash_page_html[];
extern const size_t dash_page_html_len;

#endif
