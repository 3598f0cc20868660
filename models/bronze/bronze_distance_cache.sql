-- Geocoding cache: home address to road distance (km) from the office.
select
    trim(adresse)                          as adresse,
    cast(distance_km as numeric(6, 1))     as distance_km
from {{ ref('distance_cache') }}
