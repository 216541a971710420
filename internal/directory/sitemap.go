package directory

import (
	"context"
	"time"
)

// SitemapPageSize is the number of URLs in one sitemap file; the protocol
// allows 50,000, a smaller page keeps each response quick.
const SitemapPageSize = 10000

// SitemapEntry is one public page.
type SitemapEntry struct {
	Slug    string
	Updated time.Time
}

// SitemapCounts returns how many public clinician and organization pages exist.
func (s *Service) SitemapCounts(ctx context.Context) (clinicians, orgs int, err error) {
	if clinicians, err = s.st.countPublished(ctx, "clinicians"); err != nil {
		return 0, 0, internal(err, "count clinicians")
	}
	if orgs, err = s.st.countPublished(ctx, "organizations"); err != nil {
		return 0, 0, internal(err, "count organizations")
	}
	return clinicians, orgs, nil
}

// SitemapPage returns page n (from 1) of public clinician ("clinicians") or
// organization ("organizations") pages, in a stable order.
func (s *Service) SitemapPage(ctx context.Context, kind string, n int) ([]SitemapEntry, error) {
	table := "clinicians"
	if kind == "organizations" {
		table = "organizations"
	}
	es, err := s.st.publishedSlugs(ctx, table, SitemapPageSize, (n-1)*SitemapPageSize)
	return es, internal(err, "sitemap")
}
