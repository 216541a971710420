package web

import (
	"github.com/rounds-health/rounds/internal/directory"
)

// schema.org JSON-LD for public pages. Only public fields go in: never a
// license number, never anything about patients.

type ldThing = map[string]any

func ldAddress(l directory.Location) ldThing {
	a := ldThing{"@type": "PostalAddress", "addressCountry": "US"}
	for k, v := range map[string]string{"streetAddress": l.Street, "addressLocality": l.City, "addressRegion": l.State, "postalCode": l.PostalCode} {
		if v != "" {
			a[k] = v
		}
	}
	return a
}

func ldPlace(l directory.Location) ldThing {
	p := ldThing{"@type": "Place", "address": ldAddress(l),
		"geo": ldThing{"@type": "GeoCoordinates", "latitude": l.Point.Lat, "longitude": l.Point.Lon}}
	if l.Name != "" {
		p["name"] = l.Name
	}
	if l.Phone != "" {
		p["telephone"] = l.Phone
	}
	return p
}

func clinicianLD(c *directory.Clinician, canonical, site string) ldThing {
	t := "Physician"
	if !c.IsPhysician() {
		t = "Person"
	}
	ld := ldThing{"@context": "https://schema.org", "@type": t, "@id": canonical + "#clinician", "name": c.DisplayName(), "url": canonical}
	if c.Bio != "" {
		ld["description"] = c.Bio
	}
	if c.PhotoURL != "" {
		ld["image"] = c.PhotoURL
	}
	var specs []string
	for _, s := range c.Specialties {
		specs = append(specs, s.Label)
	}
	if t == "Physician" {
		if len(specs) > 0 {
			ld["medicalSpecialty"] = specs
		}
		ld["isAcceptingNewPatients"] = c.AcceptingNew
		if c.NPI != "" {
			ld["identifier"] = ldThing{"@type": "PropertyValue", "propertyID": "NPI", "value": c.NPI}
		}
		if len(c.Locations) > 0 {
			ld["address"] = ldAddress(c.Locations[0])
			ld["geo"] = ldThing{"@type": "GeoCoordinates", "latitude": c.Locations[0].Point.Lat, "longitude": c.Locations[0].Point.Lon}
			if c.Locations[0].Phone != "" {
				ld["telephone"] = c.Locations[0].Phone
			}
		}
		var hospitals []ldThing
		for _, a := range c.Affiliations {
			if a.Confirmed {
				hospitals = append(hospitals, ldThing{"@type": "MedicalOrganization", "name": a.OrgName, "url": site + "/organizations/" + a.OrgSlug})
			}
		}
		if len(hospitals) > 0 {
			ld["hospitalAffiliation"] = hospitals
		}
	} else {
		ld["jobTitle"] = c.Credentials
		if len(specs) > 0 {
			ld["hasOccupation"] = ldThing{"@type": "Occupation", "name": specs[0]}
		}
		var works []ldThing
		for _, l := range c.Locations {
			works = append(works, ldPlace(l))
		}
		if len(works) > 0 {
			ld["workLocation"] = works
		}
	}
	if langs := directory.LanguageNames(c.Languages); len(langs) > 0 {
		ld["knowsLanguage"] = langs
	}
	if c.RatingCount > 0 {
		ld["aggregateRating"] = ldThing{"@type": "AggregateRating", "ratingValue": c.RatingAvg, "reviewCount": c.RatingCount,
			"bestRating": 5, "worstRating": 1}
	}
	return ld
}

func orgLD(o *directory.Organization, affs []directory.Affiliation, canonical, site string) ldThing {
	ld := ldThing{"@context": "https://schema.org", "@type": o.Kind.SchemaType(), "@id": canonical + "#organization",
		"name": o.Name, "url": canonical}
	if o.Description != "" {
		ld["description"] = o.Description
	}
	if o.Website != "" {
		ld["sameAs"] = []string{o.Website}
	}
	if o.LogoURL != "" {
		ld["logo"] = o.LogoURL
	}
	if o.Phone != "" {
		ld["telephone"] = o.Phone
	}
	if len(o.Locations) > 0 {
		ld["address"] = ldAddress(o.Locations[0])
		ld["geo"] = ldThing{"@type": "GeoCoordinates", "latitude": o.Locations[0].Point.Lat, "longitude": o.Locations[0].Point.Lon}
	}
	if len(o.Locations) > 1 {
		var places []ldThing
		for _, l := range o.Locations[1:] {
			places = append(places, ldPlace(l))
		}
		ld["location"] = places
	}
	var members []ldThing
	for _, a := range affs {
		members = append(members, ldThing{"@type": "Person", "name": a.ClinicianName, "url": site + "/clinicians/" + a.ClinicianSlug})
	}
	if len(members) > 0 {
		ld["member"] = members
	}
	return ld
}
