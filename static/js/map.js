// Maps of ideas (Leaflet): the map page, an idea's detail page and the idea form.
// Tiles from another host load only after the visitor agrees (remembered in localStorage);
// without them the maps show markers and quarter outlines on a plain background. Everything
// a map shows is also on the page as text, so the maps stay hidden without JavaScript.
// Without tiles the map of ideas groups nearby markers (Leaflet.markercluster) and writes
// the quarters' names, so that it is more than a grey field of pins.
(function () {
  "use strict";
  const configElement = document.getElementById("map-config");
  if (!configElement || typeof L === "undefined") {
    return;
  }
  const config = JSON.parse(configElement.textContent);
  const consentKey = "mitmachen.map.tiles:" + config.tileHost;
  const maps = [];
  let tilesOn = false;
  let boundariesRequest = null;

  const icon = L.icon(Object.assign({
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    popupAnchor: [1, -34],
    shadowSize: [41, 41],
  }, config.icon));

  function tilesOnOwnHost() {
    if (!config.tileUrl) {
      return false;
    }
    try {
      return new URL(config.tileUrl, window.location.href).host === window.location.host;
    } catch (error) {
      return false;
    }
  }

  function consentStored() {
    try {
      return window.localStorage.getItem(consentKey) === "yes";
    } catch (error) {
      return false;
    }
  }

  function consentStore(given) {
    try {
      if (given) {
        window.localStorage.setItem(consentKey, "yes");
      } else {
        window.localStorage.removeItem(consentKey);
      }
    } catch (error) {
      // Private mode without storage: the choice holds for this page only.
    }
  }

  function tilesAdd(map) {
    if (!map.mitmachenTiles) {
      map.mitmachenTiles = L.tileLayer(config.tileUrl, {
        attribution: config.tileAttribution,
        maxZoom: 19,
        // The site sends no Referer elsewhere; tile servers such as OpenStreetMap's require
        // one, so they get our origin (never the page's path).
        referrerPolicy: "strict-origin",
      }).addTo(map);
    }
  }

  function tilesRemove(map) {
    if (map.mitmachenTiles) {
      map.removeLayer(map.mitmachenTiles);
      map.mitmachenTiles = null;
    }
  }

  function consentShow() {
    const ask = Boolean(config.tileUrl) && !tilesOnOwnHost();
    document.querySelectorAll("[data-map-consent]").forEach(function (element) {
      element.hidden = !ask || tilesOn;
    });
    document.querySelectorAll("[data-map-consent-revoke]").forEach(function (element) {
      element.hidden = !ask || !tilesOn;
    });
  }

  // The quarters' names stand in for the tiles' place names while there are no tiles.
  function labelsShow(map) {
    if (!map.mitmachenLabels) {
      return;
    }
    if (tilesOn) {
      map.removeLayer(map.mitmachenLabels);
    } else {
      map.addLayer(map.mitmachenLabels);
    }
  }

  function tilesSet(on) {
    tilesOn = on;
    maps.forEach(function (map) {
      if (on) {
        tilesAdd(map);
      } else {
        tilesRemove(map);
      }
      labelsShow(map);
    });
    consentShow();
  }

  function mapCreate(element, options) {
    const bounds = L.latLngBounds(config.bounds);
    // maxZoom: without a tile layer the map has none, and clustering needs one.
    const map = L.map(
      element,
      Object.assign({ maxBounds: bounds.pad(0.5), minZoom: 9, maxZoom: 19 }, options),
    );
    map.setView(config.center, 13);
    maps.push(map);
    if (tilesOn) {
      tilesAdd(map);
    }
    return map;
  }

  function boundaries() {
    if (!boundariesRequest) {
      const empty = { type: "FeatureCollection", features: [] };
      boundariesRequest = fetch(config.boundariesUrl, { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : empty;
        })
        .catch(function () {
          return empty;
        });
    }
    return boundariesRequest;
  }

  function boundariesDraw(map) {
    return boundaries().then(function (data) {
      if (data.features && data.features.length) {
        L.geoJSON(data, {
          interactive: false,
          style: { color: "#1f5c99", weight: 1.5, fillOpacity: 0.04 },
        }).addTo(map);
      }
      return data;
    });
  }

  function popupContent(properties) {
    const box = document.createElement("div");
    box.className = "map-popup";
    const link = document.createElement("a");
    link.className = "kern-link map-popup__title";
    link.href = properties.url;
    link.textContent = properties.title;
    box.appendChild(link);
    const list = document.createElement("dl");
    [
      [config.text.reference, properties.reference],
      [config.text.field, properties.field],
      [config.text.status, properties.status],
    ].forEach(function (row) {
      if (!row[1]) {
        return;
      }
      const term = document.createElement("dt");
      term.textContent = row[0] + ": ";
      const value = document.createElement("dd");
      value.textContent = row[1];
      list.append(term, value);
    });
    box.appendChild(list);
    return box;
  }

  // A group of markers: its size as a number, and for screen readers what choosing it does.
  function countIcon(count, className) {
    const box = document.createElement("span");
    const shown = document.createElement("span");
    shown.className = "marker-cluster__count";
    shown.setAttribute("aria-hidden", "true");
    shown.textContent = String(count);
    const spoken = document.createElement("span");
    spoken.className = "kern-sr-only";
    spoken.dataset.clusterCount = String(count);
    spoken.textContent = config.text.cluster.replace("%(count)s", String(count));
    box.append(shown, spoken);
    return L.divIcon({
      html: box,
      className: "marker-cluster" + (className ? " " + className : ""),
      iconSize: L.point(40, 40),
    });
  }

  function clusterIcon(cluster) {
    return countIcon(cluster.getChildCount());
  }

  // Where to write each quarter's name: the middle of its outline, or without outlines the
  // middle of the ideas placed in it (computed on the server for all of them).
  function quarterLabels(boundaryData, quarters) {
    const places = {};
    if (boundaryData.features && boundaryData.features.length) {
      boundaryData.features.forEach(function (feature) {
        if (feature.properties && feature.properties.name) {
          places[feature.properties.name] = L.geoJSON(feature).getBounds().getCenter();
        }
      });
    } else {
      quarters.forEach(function (quarter) {
        places[quarter.name] = L.latLng(quarter.latitude, quarter.longitude);
      });
    }
    const labels = L.layerGroup();
    Object.keys(places).forEach(function (name) {
      const label = L.tooltip({
        permanent: true,
        direction: "center",
        className: "quarter-label",
        interactive: false,
      }).setLatLng(places[name]).setContent(name);
      // A visual aid: the list by quarter below the map says the same in text.
      label.on("add", function () {
        label.getElement().setAttribute("aria-hidden", "true");
      });
      labels.addLayer(label);
    });
    return labels;
  }

  // The box asked for: what is shown and a margin around it, rounded outwards so that small
  // pans ask for the same URL (the server caches answers per URL).
  function boxString(bounds) {
    const padded = bounds.pad(0.25);
    const step = 1000;
    const west = Math.max(-180, Math.floor(padded.getWest() * step) / step);
    const south = Math.max(-90, Math.floor(padded.getSouth() * step) / step);
    const east = Math.min(180, Math.ceil(padded.getEast() * step) / step);
    const north = Math.min(90, Math.ceil(padded.getNorth() * step) / step);
    return [west, south, east, north].join(",");
  }

  // The map of ideas: the page carries no markers; they come from the server for the area
  // shown, as single ideas (grouped nearby by Leaflet.markercluster) or, with many ideas at a
  // low zoom, as groups counted on the server.
  function ideaMap(element) {
    const data = JSON.parse(document.getElementById("idea-map-data").textContent);
    const map = mapCreate(element);
    boundariesDraw(map).then(function (boundaryData) {
      map.mitmachenLabels = quarterLabels(boundaryData, data.quarters);
      labelsShow(map);
    });
    const singles = L.markerClusterGroup
      ? L.markerClusterGroup({
        iconCreateFunction: clusterIcon,
        showCoverageOnHover: false,
        maxClusterRadius: 48,
      })
      : L.layerGroup();
    const groups = L.layerGroup();
    singles.addTo(map);
    groups.addTo(map);
    // Markers by idea: kept across loads, so an open popup stays open while the map moves.
    let markers = {};
    let asked = "";
    let controller = null;
    let timer = null;
    let wanted = null;
    let wantedFeature = null;

    function markerMake(feature) {
      const latlng = L.latLng(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
      const marker = L.marker(latlng, { icon: icon, alt: feature.properties.title, keyboard: true });
      marker.bindPopup(popupContent(feature.properties));
      return marker;
    }

    function groupMake(cluster) {
      const latlng = L.latLng(cluster.coordinates[1], cluster.coordinates[0]);
      const marker = L.marker(latlng, {
        icon: countIcon(cluster.count, "map-group"),
        keyboard: true,
      });
      function zoomIn() {
        map.fitBounds(cluster.bounds, { padding: [24, 24], maxZoom: map.getZoom() + 3 });
      }
      // Leaflet turns Enter on a marker into a click only for popups: groups listen for it.
      marker.on("click", zoomIn);
      marker.on("keypress", function (event) {
        if (event.originalEvent.key === "Enter") {
          zoomIn();
        }
      });
      return marker;
    }

    function draw(answer) {
      const next = {};
      const added = [];
      const features = answer.features.slice();
      // Among many ideas close by, the one asked for may not be among the newest shown.
      if (wanted && wantedFeature && !features.some(function (feature) {
        return String(feature.id) === wanted;
      })) {
        features.push(wantedFeature);
      }
      features.forEach(function (feature) {
        const marker = markers[feature.id] || markerMake(feature);
        if (!markers[feature.id]) {
          added.push(marker);
        }
        next[feature.id] = marker;
      });
      const gone = Object.keys(markers).filter(function (id) {
        return !next[id];
      }).map(function (id) {
        return markers[id];
      });
      markers = next;
      if (singles.removeLayers) {
        singles.removeLayers(gone);
        singles.addLayers(added);
      } else {
        gone.forEach(function (marker) { singles.removeLayer(marker); });
        added.forEach(function (marker) { singles.addLayer(marker); });
      }
      groups.clearLayers();
      answer.clusters.forEach(function (cluster) {
        groups.addLayer(groupMake(cluster));
      });
      if (wanted && markers[wanted]) {
        const marker = markers[wanted];
        wanted = null;
        if (singles.zoomToShowLayer) {
          singles.zoomToShowLayer(marker, function () {
            marker.openPopup();
          });
        } else {
          marker.openPopup();
        }
      }
    }

    function load() {
      const params = new URLSearchParams(data.filters);
      params.set("bbox", boxString(map.getBounds()));
      params.set("zoom", String(map.getZoom()));
      const url = data.markersUrl + "?" + params.toString();
      if (url === asked) {
        return;
      }
      asked = url;
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      fetch(url, { credentials: "same-origin", signal: controller.signal })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (answer) {
          if (answer && url === asked) {
            draw(answer);
          }
        })
        .catch(function () {
          // Aborted by a newer view, or offline: the list below the map has the ideas.
        });
    }

    // Panning fires many moves: ask once the map has been still for a moment.
    map.on("moveend", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, 250);
    });
    const hash = /^#idee-(\d+)$/.exec(window.location.hash);
    if (hash) {
      // The idea named in the address: zoomed in on it, its popup open.
      wanted = hash[1];
      const params = new URLSearchParams({ idee: wanted });
      fetch(data.markersUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (answer) {
          if (answer && answer.features.length) {
            const point = answer.features[0].geometry.coordinates;
            wantedFeature = answer.features[0];
            map.setView([point[1], point[0]], 17, { animate: false });
          }
          load();
        })
        .catch(load);
      return;
    }
    if (data.bounds) {
      map.fitBounds(data.bounds, { maxZoom: 15, padding: [24, 24], animate: false });
    }
    load();
  }

  function locationMap(element) {
    const point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    const map = mapCreate(element, { scrollWheelZoom: false });
    map.setView(point, 15);
    L.marker(point, { icon: icon, alt: element.dataset.title, keyboard: false }).addTo(map);
    boundariesDraw(map);
  }

  function number(input) {
    const value = Number(input.value.trim().replace(",", "."));
    return input.value.trim() !== "" && Number.isFinite(value) ? value : null;
  }

  function locationPicker(block) {
    const latitude = document.getElementById("id_latitude");
    const longitude = document.getElementById("id_longitude");
    const status = block.querySelector("[data-location-status]");
    const select = block.querySelector("[data-location-quarter]");
    const map = mapCreate(document.getElementById("location-map"));
    let marker = null;

    function inputsWrite(point) {
      latitude.value = point.lat.toFixed(6);
      longitude.value = point.lng.toFixed(6);
      status.textContent = config.text.pointSet
        .replace("%(lat)s", latitude.value)
        .replace("%(lon)s", longitude.value);
    }

    function markerPlace(point) {
      if (marker) {
        marker.setLatLng(point);
        return;
      }
      marker = L.marker(point, { icon: icon, draggable: true, alt: config.text.chosenPlace });
      marker.on("dragend", function () {
        inputsWrite(marker.getLatLng());
      });
      marker.addTo(map);
    }

    function inputsRead() {
      const lat = number(latitude);
      const lon = number(longitude);
      if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
        return null;
      }
      markerPlace([lat, lon]);
      return [lat, lon];
    }

    map.on("click", function (event) {
      markerPlace(event.latlng);
      inputsWrite(event.latlng);
    });
    const initial = inputsRead();
    if (initial) {
      map.setView(initial, 15);
    }
    [latitude, longitude].forEach(function (input) {
      input.addEventListener("change", function () {
        const point = inputsRead();
        if (point) {
          map.panTo(point);
        }
      });
    });
    block.querySelector("[data-location-clear]").addEventListener("click", function () {
      latitude.value = "";
      longitude.value = "";
      if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
      status.textContent = config.text.pointRemoved;
    });
    boundariesDraw(map);
    select.addEventListener("change", function () {
      const code = select.value;
      if (!code) {
        return;
      }
      boundaries().then(function (data) {
        const feature = (data.features || []).find(function (item) {
          return item.properties && item.properties.code === code;
        });
        if (feature) {
          map.fitBounds(L.geoJSON(feature).getBounds());
          status.textContent = "";
        } else {
          status.textContent = config.text.noBoundary;
        }
      });
    });
  }

  tilesOn = Boolean(config.tileUrl) && (tilesOnOwnHost() || consentStored());
  document.querySelectorAll("[data-map-block], [data-location-picker]").forEach(function (element) {
    element.hidden = false;
  });
  const ideaMapElement = document.getElementById("idea-map");
  if (ideaMapElement) {
    ideaMap(ideaMapElement);
  }
  const locationMapElement = document.getElementById("idea-location-map");
  if (locationMapElement) {
    locationMap(locationMapElement);
  }
  const picker = document.querySelector("[data-location-picker]");
  if (picker) {
    locationPicker(picker);
  }
  consentShow();
  document.querySelectorAll("[data-map-consent-accept]").forEach(function (button) {
    button.addEventListener("click", function () {
      consentStore(true);
      tilesSet(true);
      const revoke = button.closest(".map-block, .location-picker")
        .querySelector("[data-map-consent-withdraw]");
      if (revoke) {
        revoke.focus();
      }
    });
  });
  document.querySelectorAll("[data-map-consent-withdraw]").forEach(function (button) {
    button.addEventListener("click", function () {
      consentStore(false);
      tilesSet(false);
      const accept = button.closest(".map-block, .location-picker")
        .querySelector("[data-map-consent-accept]");
      if (accept) {
        accept.focus();
      }
    });
  });
}());
