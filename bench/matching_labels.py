"""Hand-labelled expectations for bench/matching.py.

SEED_LABELS: a buy request of seeds/listings.jsonl -> the offers of seeds/ that fit it as a product or service
(by a person reading both, regardless of country rules; the bench keeps only the ones the business rules allow).
EXTRA_REQUESTS: buy requests written for the bench (a buyer country, a language, a title), each with its fitting
seed offers; they add the look-alike traps (roasted vs green coffee, cocoa beans vs nibs and bars, shoes vs
handbags and belts) in all four languages.
"""

SEED_LABELS = {
    # Café tostado en grano para cafeterías
    "li-cl-cafeterias-barrio-italia-1": [
        "li-gt-cafe-altiplano-huehue-2",  # Café tostado en grano de altura para cafeterías, bolsas de 1 kg
        "li-co-cafe-cumbre-huila-2",  # Café tostado en grano para marcas propias y cafeterías (maquila)
        "li-br-torrefacao-mantiqueira-1",  # Café torrado em grãos da Mantiqueira para cafeterias
        "li-us-mission-trail-roasters-3",  # Small-batch roasted whole-bean coffee for cafés and private label
        "li-jm-cedar-peak-coffee-2",  # Roasted Jamaica Blue Mountain coffee beans, medium roast, valve bags
        "li-jm-cedar-peak-coffee-3",  # Jamaica High Mountain roasted coffee for cafés and hotels across Jamai
        "li-ht-coop-grand-anse-3",  # Café torréfié en grains « Typica des mornes » pour cafés et épiceries
    ],
    # Specialty green coffee, washed, SCA 84+, from Central America
    "li-us-mission-trail-roasters-1": [
        "li-gt-cafe-altiplano-huehue-1",  # Café oro SHB EP de Huehuetenango, cosecha 2024/25
        "li-co-cafe-cumbre-huila-1",  # Café verde excelso del Huila, supremo 17/18, orgánico
        "li-co-cafe-cumbre-huila-3",  # Microlotes de café especial do Huila para torrefações brasileiras
        "li-br-torrefacao-mantiqueira-2",  # Café verde especial do Sul de Minas, sacas de 60 kg
        "li-jm-cedar-peak-coffee-1",  # Jamaica Blue Mountain green coffee, Grade 1, in 70 kg wooden barrels
        "li-ht-coop-grand-anse-2",  # Café vert arabica Typica lavé, cultivé entre 900 et 1 400 m
    ],
    # Organic green coffee, natural and honey process, South America
    "li-us-mission-trail-roasters-2": [
        "li-gt-cafe-altiplano-huehue-1",  # Café oro SHB EP de Huehuetenango, cosecha 2024/25
        "li-co-cafe-cumbre-huila-1",  # Café verde excelso del Huila, supremo 17/18, orgánico
        "li-co-cafe-cumbre-huila-3",  # Microlotes de café especial do Huila para torrefações brasileiras
        "li-br-torrefacao-mantiqueira-2",  # Café verde especial do Sul de Minas, sacas de 60 kg
        "li-jm-cedar-peak-coffee-1",  # Jamaica Blue Mountain green coffee, Grade 1, in 70 kg wooden barrels
        "li-ht-coop-grand-anse-2",  # Café vert arabica Typica lavé, cultivé entre 900 et 1 400 m
    ],
    # Fine-flavour cacao beans, well fermented, lots of 2–5 tonnes
    "li-us-cascade-cacao-1": [
        "li-do-cacao-cibao-1",  # Cacao orgánico Hispaniola fermentado, grano seco
        "li-ec-cacao-fino-arriba-1",  # Cacao Nacional fino de aroma (Arriba) ASSS, grano seco
        "li-tt-gran-couva-cocoa-1",  # Trinitario fine-flavour cocoa beans, fermented and sun-dried
        "li-ht-coop-grand-anse-1",  # Fèves de cacao fermentées et séchées de la Grand'Anse, lots de 6 à 12
    ],
    # Gourmet vanilla beans, 14–18 cm, for chocolate and confections
    "li-us-cascade-cacao-3": [
        "li-mx-miel-y-vainilla-del-golfo-2",  # Vainilla de Papantla en vaina, grado A gourmet
    ],
    # Vainilla en vaina para chocolate de origen
    "li-ec-cacao-fino-arriba-3": [
        "li-mx-miel-y-vainilla-del-golfo-2",  # Vainilla de Papantla en vaina, grado A gourmet
    ],
    # Hass avocados 48–60 count, weekly supply for Florida supermarkets
    "li-us-sunshine-provisions-1": [
        "li-mx-aguacates-sierra-del-tigre-1",  # Aguacate Hass de Jalisco para exportación, calibres 48 a 70
        "li-mx-aguacates-sierra-del-tigre-2",  # Aguacate Hass a granel en bins para industria y mercado nacional
        "li-co-frutas-exoticas-andinas-2",  # Aguacate Hass colombiano, contenedor refrigerado
        "li-pe-agroexport-ica-1",  # Palta Hass peruana, campaña abril–setiembre
    ],
    # Palta Hass madura lista para consumo, entrega semanal en Santiago
    "li-cl-cafeterias-barrio-italia-3": [
        "li-mx-aguacates-sierra-del-tigre-1",  # Aguacate Hass de Jalisco para exportación, calibres 48 a 70
        "li-mx-aguacates-sierra-del-tigre-2",  # Aguacate Hass a granel en bins para industria y mercado nacional
        "li-co-frutas-exoticas-andinas-2",  # Aguacate Hass colombiano, contenedor refrigerado
        "li-pe-agroexport-ica-1",  # Palta Hass peruana, campaña abril–setiembre
    ],
    # Frozen white shrimp (L. vannamei), headless shell-on, 21/25 and 26/30
    "li-us-sunshine-provisions-2": [
        "li-hn-acuicola-golfo-de-fonseca-1",  # Camarón vannamei congelado sin cabeza (HLSO), tallas 31/35 a 51/60
        "li-ec-mariscos-el-oro-1",  # Camarón vannamei entero congelado (HOSO), tallas 20/30 a 60/70
        "li-bz-placencia-aquaculture-1",  # Frozen farm-raised whiteleg shrimp, head-on, 40/50 and 50/60
        "li-bz-placencia-aquaculture-2",  # Headless shell-on white shrimp, IQF, 21/25 to 31/40, retail-ready boxe
    ],
    # Crevettes blanches d'élevage (L. vannamei) congelées, étêtées, 21/25 à 31/40
    "li-ca-pecheries-acadiennes-5": [
        "li-hn-acuicola-golfo-de-fonseca-1",  # Camarón vannamei congelado sin cabeza (HLSO), tallas 31/35 a 51/60
        "li-ec-mariscos-el-oro-1",  # Camarón vannamei entero congelado (HOSO), tallas 20/30 a 60/70
        "li-bz-placencia-aquaculture-1",  # Frozen farm-raised whiteleg shrimp, head-on, 40/50 and 50/60
        "li-bz-placencia-aquaculture-2",  # Headless shell-on white shrimp, IQF, 21/25 to 31/40, retail-ready boxe
    ],
    # Camarón pelado congelado IQF para cocina de nuestros locales
    "li-cl-cafeterias-barrio-italia-4": [
        "li-hn-acuicola-golfo-de-fonseca-1",  # Camarón vannamei congelado sin cabeza (HLSO), tallas 31/35 a 51/60
        "li-ec-mariscos-el-oro-1",  # Camarón vannamei entero congelado (HOSO), tallas 20/30 a 60/70
        "li-bz-placencia-aquaculture-1",  # Frozen farm-raised whiteleg shrimp, head-on, 40/50 and 50/60
        "li-bz-placencia-aquaculture-2",  # Headless shell-on white shrimp, IQF, 21/25 to 31/40, retail-ready boxe
    ],
    # Raw multifloral honey in 300 kg drums for repacking
    "li-us-sunshine-provisions-4": [
        "li-mx-miel-y-vainilla-del-golfo-1",  # Miel multiflora orgánica a granel en tambores de 300 kg
        "li-ar-apicola-pampa-dorada-1",  # Miel de abeja argentina a granel, tambores de 300 kg
        "li-ar-apicola-pampa-dorada-2",  # Mel argentino fracionado para redes de supermercados no Brasil
        "li-ca-erabliere-rang-double-4",  # Miel de trèfle et de sarrasin non pasteurisé de Beauce
    ],
    # Mel orgânico a granel para linha de sabonetes e cremes
    "li-br-bioativos-da-floresta-6": [
        "li-mx-miel-y-vainilla-del-golfo-1",  # Miel multiflora orgánica a granel en tambores de 300 kg
        "li-ar-apicola-pampa-dorada-1",  # Miel de abeja argentina a granel, tambores de 300 kg
        "li-ar-apicola-pampa-dorada-2",  # Mel argentino fracionado para redes de supermercados no Brasil
        "li-ca-erabliere-rang-double-4",  # Miel de trèfle et de sarrasin non pasteurisé de Beauce
    ],
    # Quinua orgánica lavada para bowls y ensaladas
    "li-cl-cafeterias-barrio-italia-6": [
        "li-pe-andes-superfoods-1",  # Quinua blanca orgánica del altiplano de Puno, grano lavado
        "li-pe-andes-superfoods-2",  # Quinoa orgânica peruana em grãos – branca, vermelha e preta
        "li-bo-quinua-real-salar-1",  # Quinua Real blanca orgánica boliviana en grano
        "li-bo-quinua-real-salar-2",  # Quinoa Real orgânica da Bolívia para o mercado brasileiro
    ],
    # Pulpa de fruta tropical congelada (piña, mango, maracuyá) para jugos
    "li-cl-cafeterias-barrio-italia-5": [
        "li-cr-frutas-sarapiqui-2",  # Piña congelada en trozos IQF para jugos y batidos
    ],
    # Hilado de alpaca peinado para tejido de punto
    "li-uy-lanas-orientales-5": [
        "li-pe-hilados-del-misti-1",  # Hilado de baby alpaca peinado 2/28 Nm en conos
        "li-pe-hilados-del-misti-4",  # Fio de alpaca peruana para malharias brasileiras
    ],
    # Organic cold-pressed virgin coconut oil in 20 L pails
    "li-ca-driftwood-botanicals-2": [
        "li-jm-hibiscus-grove-2",  # Cold-pressed virgin coconut oil, 20 L pails and 250 ml jars
    ],
    # Authentic Jamaican black castor oil, pure, in bulk
    "li-ca-driftwood-botanicals-3": [
        "li-jm-hibiscus-grove-1",  # Jamaican black castor oil, traditionally roasted and hand-pressed
    ],
    # Soporte técnico nivel 1 bilingüe para plataforma SaaS
    "li-co-nube-andina-4": [
        "li-sv-contacto-pacifico-1",  # Call center bilingüe inglés-español para atención al cliente
        "li-do-conecta-caribe-1",  # Servicio al cliente y ventas telefónicas bilingües desde República Dom
        "li-do-conecta-caribe-2",  # Soporte por chat y correo en español para tiendas en línea
        "li-jm-bayside-connect-1",  # Inbound customer care and technical support agents, U.S. accent-neutra
    ],
    # Traducción y localización de una plataforma SaaS al portugués de Brasil
    "li-mx-codigo-tapatio-3": [
        "li-ar-lenguas-del-sur-1",  # Traducción comercial y técnica español–inglés–portugués
        "li-ar-lenguas-del-sur-2",  # Tradução e localização de sites e software para o mercado hispano
        "li-ca-lexique-nord-1",  # Traduction technique et commerciale de l'anglais, de l'espagnol et du
        "li-ca-lexique-nord-3",  # Localisation de logiciels, d'applications mobiles et de boutiques en l
    ],
    # Traducción al inglés de fichas técnicas y presentaciones comerciales
    "li-co-ruta-exporta-3": [
        "li-ar-lenguas-del-sur-1",  # Traducción comercial y técnica español–inglés–portugués
        "li-ar-lenguas-del-sur-2",  # Tradução e localização de sites e software para o mercado hispano
        "li-ca-lexique-nord-1",  # Traduction technique et commerciale de l'anglais, de l'espagnol et du
    ],
    # Tradução do site e catálogo para espanhol e inglês
    "li-br-torrefacao-mantiqueira-6": [
        "li-ar-lenguas-del-sur-1",  # Traducción comercial y técnica español–inglés–portugués
        "li-ar-lenguas-del-sur-2",  # Tradução e localização de sites e software para o mercado hispano
        "li-ca-lexique-nord-1",  # Traduction technique et commerciale de l'anglais, de l'espagnol et du
        "li-ca-lexique-nord-3",  # Localisation de logiciels, d'applications mobiles et de boutiques en l
    ],
    # English to Spanish localisation of a fintech mobile app (about 45,000 words)
    "li-tt-savannah-code-labs-3": [
        "li-ar-lenguas-del-sur-1",  # Traducción comercial y técnica español–inglés–portugués
        "li-ar-lenguas-del-sur-2",  # Tradução e localização de sites e software para o mercado hispano
        "li-ca-lexique-nord-1",  # Traduction technique et commerciale de l'anglais, de l'espagnol et du
        "li-ca-lexique-nord-3",  # Localisation de logiciels, d'applications mobiles et de boutiques en l
    ],
    # Développement sur mesure d'une plateforme de gestion de projets de traduction
    "li-ca-lexique-nord-6": [
        "li-mx-codigo-tapatio-1",  # Desarrollo de software nearshore desde Guadalajara: equipos dedicados
        "li-co-nube-andina-1",  # Desarrollo de software a la medida y equipos nearshore desde Bogotá
        "li-co-nube-andina-2",  # Desenvolvimento de software nearshore para empresas brasileiras
        "li-uy-pixel-charrua-1",  # Desarrollo de plataformas de e-commerce y fintech desde Montevideo
        "li-uy-pixel-charrua-2",  # Desenvolvimento de apps e plataformas de e-commerce para o Brasil
        "li-ca-bytetown-digital-1",  # Custom web and mobile app development with bilingual English/French te
        "li-tt-savannah-code-labs-1",  # Custom software development: web platforms, APIs and mobile apps
    ],
    # Desarrollo de portal de clientes para agencia de traducción
    "li-ar-lenguas-del-sur-3": [
        "li-mx-codigo-tapatio-1",  # Desarrollo de software nearshore desde Guadalajara: equipos dedicados
        "li-co-nube-andina-1",  # Desarrollo de software a la medida y equipos nearshore desde Bogotá
        "li-co-nube-andina-2",  # Desenvolvimento de software nearshore para empresas brasileiras
        "li-uy-pixel-charrua-1",  # Desarrollo de plataformas de e-commerce y fintech desde Montevideo
        "li-uy-pixel-charrua-2",  # Desenvolvimento de apps e plataformas de e-commerce para o Brasil
        "li-ca-bytetown-digital-1",  # Custom web and mobile app development with bilingual English/French te
        "li-tt-savannah-code-labs-1",  # Custom software development: web platforms, APIs and mobile apps
    ],
    # Nearshore React and QA engineers (team of 4–6) in Americas time zones
    "li-ca-bytetown-digital-2": [
        "li-mx-codigo-tapatio-1",  # Desarrollo de software nearshore desde Guadalajara: equipos dedicados
        "li-mx-codigo-tapatio-2",  # Pruebas de software y QA automatizado para comercio electrónico
        "li-co-nube-andina-1",  # Desarrollo de software a la medida y equipos nearshore desde Bogotá
        "li-co-nube-andina-2",  # Desenvolvimento de software nearshore para empresas brasileiras
        "li-uy-pixel-charrua-1",  # Desarrollo de plataformas de e-commerce y fintech desde Montevideo
        "li-tt-savannah-code-labs-1",  # Custom software development: web platforms, APIs and mobile apps
        "li-tt-savannah-code-labs-2",  # Manual and automated QA testing (Selenium, Cypress, Appium)
    ],
    # Servicio de transporte refrigerado Jalisco – frontera con Texas
    "li-mx-aguacates-sierra-del-tigre-4": [
        "li-us-rio-bravo-logistics-1",  # Cross-border FTL and LTL trucking Laredo – Monterrey – Mexico City
    ],
    # Agente de cargas para exportação de móveis ao Chile e à América Central
    "li-br-moveis-serra-gaucha-6": [
        "li-pa-carga-istmo-1",  # Consolidación de carga marítima LCL Asia – Zona Libre de Colón – Latin
        "li-pa-carga-istmo-3",  # Frete marítimo e consolidação de cargas Panamá – Brasil
    ],
    # Paquete de viaje de incentivo para equipo de 20 personas
    "li-uy-pixel-charrua-4": [
        "li-cr-senderos-monteverde-1",  # Paquete de ecoturismo 7 días: Monteverde, Arenal y Manuel Antonio
        "li-cr-senderos-monteverde-2",  # Viajes de incentivo para equipos de ventas en Costa Rica
        "li-bs-exuma-cays-adventures-1",  # 5-day Exuma island-hopping packages for tour operators (groups of 8–24
        "li-bs-exuma-cays-adventures-2",  # Corporate incentive retreats and private charters in the Exuma Cays
    ],
    # Muebles de madera maciza para ecolodge de 24 habitaciones
    "li-cr-senderos-monteverde-3": [
        "li-mx-muebles-del-lago-3",  # Muebles de recámara en pino para proyectos hoteleros
        "li-br-moveis-serra-gaucha-3",  # Móveis de quarto para hotelaria em pinus e MDP
        "li-mx-muebles-del-lago-1",  # Comedor de parota maciza para 8 personas, acabado natural
        "li-br-moveis-serra-gaucha-1",  # Mesas de jantar em madeira maciça de eucalipto certificado FSC
        "li-gy-essequibo-woodcraft-1",  # Solid purpleheart and greenheart dining sets and outdoor furniture
    ],
    # Outdoor tropical hardwood furniture for 12 guest villas
    "li-bs-exuma-cays-adventures-4": [
        "li-mx-muebles-del-lago-1",  # Comedor de parota maciza para 8 personas, acabado natural
        "li-br-moveis-serra-gaucha-1",  # Mesas de jantar em madeira maciça de eucalipto certificado FSC
        "li-gy-essequibo-woodcraft-1",  # Solid purpleheart and greenheart dining sets and outdoor furniture
    ],
    # Consultoria para exportar café torrado para o Chile e a Argentina
    "li-br-torrefacao-mantiqueira-5": [
        "li-co-ruta-exporta-1",  # Programa de formación exportadora para pymes (12 semanas)
        "li-co-ruta-exporta-2",  # Estudios de mercado e inteligencia comercial para exportar
        "li-bb-carlisle-bay-advisory-1",  # Export readiness training for Caribbean MSMEs (8-week cohort)
        "li-bb-carlisle-bay-advisory-2",  # Market-entry studies for food and beverage exporters: Canada, U.S. and
    ],
    # Spanish-speaking trade researchers for Latin American market scans (part-time)
    "li-bb-carlisle-bay-advisory-3": [
        "li-co-ruta-exporta-2",  # Estudios de mercado e inteligencia comercial para exportar
        "li-bb-carlisle-bay-advisory-2",  # Market-entry studies for food and beverage exporters: Canada, U.S. and
    ],
}

EXTRA_REQUESTS = [
    {
        "key": "request-fr-cacao",
        "language": "fr",
        "country": "CA",
        "hs_code": "180100",
        "title": "Fèves de cacao fermentées et séchées pour notre chocolaterie",
        "description": "Nous cherchons des fèves de cacao fin, bien fermentées, en sacs de 60 kg.",
        "relevant": [
            "li-do-cacao-cibao-1",  # Cacao orgánico Hispaniola fermentado, grano seco
            "li-ec-cacao-fino-arriba-1",  # Cacao Nacional fino de aroma (Arriba) ASSS, grano seco
            "li-tt-gran-couva-cocoa-1",  # Trinitario fine-flavour cocoa beans, fermented and sun-dried
            "li-ht-coop-grand-anse-1",  # Fèves de cacao fermentées et séchées de la Grand'Anse, lots
        ],
    },
    {
        "key": "request-pt-cacau",
        "language": "pt",
        "country": "BR",
        "hs_code": "180100",
        "title": "Amêndoas de cacau fermentadas e secas",
        "description": "Compramos cacau em amêndoas para fabricar chocolate bean-to-bar.",
        "relevant": [
            "li-do-cacao-cibao-1",  # Cacao orgánico Hispaniola fermentado, grano seco
            "li-ec-cacao-fino-arriba-1",  # Cacao Nacional fino de aroma (Arriba) ASSS, grano seco
            "li-tt-gran-couva-cocoa-1",  # Trinitario fine-flavour cocoa beans, fermented and sun-dried
            "li-ht-coop-grand-anse-1",  # Fèves de cacao fermentées et séchées de la Grand'Anse, lots
        ],
    },
    {
        "key": "request-en-shoes",
        "language": "en",
        "country": "US",
        "hs_code": "640399",
        "title": "Men's leather dress shoes for our stores",
        "description": "Oxford and derby shoes in genuine leather, sizes 39 to 45.",
        "relevant": [
            "li-br-calcados-franca-2",  # Botas masculinas de couro tipo Chelsea e coturno
            "li-br-calcados-franca-1",  # Sapatos sociais masculinos de couro legítimo – fabricação Fr
        ],
    },
    {
        "key": "request-fr-shoes",
        "language": "fr",
        "country": "CA",
        "hs_code": None,
        "title": "Chaussures en cuir pour hommes",
        "description": "Chaussures de ville en cuir véritable pour nos boutiques.",
        "relevant": [
            "li-br-calcados-franca-2",  # Botas masculinas de couro tipo Chelsea e coturno
            "li-br-calcados-franca-1",  # Sapatos sociais masculinos de couro legítimo – fabricação Fr
        ],
    },
    {
        "key": "request-es-bags",
        "language": "es",
        "country": "MX",
        "hs_code": "420221",
        "title": "Bolsos de cuero para nuestra boutique",
        "description": "Bolsos y carteras de piel para dama, pedidos de 200 piezas.",
        "relevant": [
            "li-co-cueros-del-restrepo-1",  # Bolsos y carteras de cuero bovino para marcas privadas
            "li-gt-tejidos-xelaju-2",  # Bolsos de tejido típico guatemalteco con asas de cuero
        ],
    },
    {
        "key": "request-en-bags",
        "language": "en",
        "country": "US",
        "hs_code": None,
        "title": "Leather handbags for a boutique chain",
        "description": "Women's handbags and purses in cowhide leather.",
        "relevant": [
            "li-co-cueros-del-restrepo-1",  # Bolsos y carteras de cuero bovino para marcas privadas
            "li-gt-tejidos-xelaju-2",  # Bolsos de tejido típico guatemalteco con asas de cuero
        ],
    },
    {
        "key": "request-fr-roasted",
        "language": "fr",
        "country": "CA",
        "hs_code": "090121",
        "title": "Café torréfié en grains pour nos cafés",
        "description": "Café de spécialité torréfié, en grains, sacs de 1 kg.",
        "relevant": [
            "li-gt-cafe-altiplano-huehue-2",  # Café tostado en grano de altura para cafeterías, bolsas de 1
            "li-co-cafe-cumbre-huila-2",  # Café tostado en grano para marcas propias y cafeterías (maqu
            "li-br-torrefacao-mantiqueira-1",  # Café torrado em grãos da Mantiqueira para cafeterias
            "li-us-mission-trail-roasters-3",  # Small-batch roasted whole-bean coffee for cafés and private
            "li-jm-cedar-peak-coffee-2",  # Roasted Jamaica Blue Mountain coffee beans, medium roast, va
            "li-ht-coop-grand-anse-3",  # Café torréfié en grains « Typica des mornes » pour cafés et
        ],
    },
    {
        "key": "request-en-roasted",
        "language": "en",
        "country": "CA",
        "hs_code": None,
        "title": "Roasted coffee beans for our coffee shops",
        "description": "Whole-bean roasted coffee in 1 kg bags, medium roast.",
        "relevant": [
            "li-gt-cafe-altiplano-huehue-2",  # Café tostado en grano de altura para cafeterías, bolsas de 1
            "li-co-cafe-cumbre-huila-2",  # Café tostado en grano para marcas propias y cafeterías (maqu
            "li-br-torrefacao-mantiqueira-1",  # Café torrado em grãos da Mantiqueira para cafeterias
            "li-us-mission-trail-roasters-3",  # Small-batch roasted whole-bean coffee for cafés and private
            "li-jm-cedar-peak-coffee-2",  # Roasted Jamaica Blue Mountain coffee beans, medium roast, va
            "li-ht-coop-grand-anse-3",  # Café torréfié en grains « Typica des mornes » pour cafés et
        ],
    },
    {
        "key": "request-pt-green",
        "language": "pt",
        "country": "AR",
        "hs_code": "090111",
        "title": "Café verde especial para torrefação",
        "description": "Café cru arábica de especialidade, sacas de 60 kg.",
        "relevant": [
            "li-gt-cafe-altiplano-huehue-1",  # Café oro SHB EP de Huehuetenango, cosecha 2024/25
            "li-co-cafe-cumbre-huila-1",  # Café verde excelso del Huila, supremo 17/18, orgánico
            "li-co-cafe-cumbre-huila-3",  # Microlotes de café especial do Huila para torrefações brasil
            "li-br-torrefacao-mantiqueira-2",  # Café verde especial do Sul de Minas, sacas de 60 kg
            "li-jm-cedar-peak-coffee-1",  # Jamaica Blue Mountain green coffee, Grade 1, in 70 kg wooden
            "li-ht-coop-grand-anse-2",  # Café vert arabica Typica lavé, cultivé entre 900 et 1 400 m
        ],
    },
    {
        "key": "request-es-green",
        "language": "es",
        "country": "CL",
        "hs_code": None,
        "title": "Café verde de especialidad sin tostar",
        "description": "Café oro lavado para tostar en nuestra planta.",
        "relevant": [
            "li-gt-cafe-altiplano-huehue-1",  # Café oro SHB EP de Huehuetenango, cosecha 2024/25
            "li-co-cafe-cumbre-huila-1",  # Café verde excelso del Huila, supremo 17/18, orgánico
            "li-co-cafe-cumbre-huila-3",  # Microlotes de café especial do Huila para torrefações brasil
            "li-br-torrefacao-mantiqueira-2",  # Café verde especial do Sul de Minas, sacas de 60 kg
            "li-jm-cedar-peak-coffee-1",  # Jamaica Blue Mountain green coffee, Grade 1, in 70 kg wooden
            "li-ht-coop-grand-anse-2",  # Café vert arabica Typica lavé, cultivé entre 900 et 1 400 m
        ],
    },
    {
        "key": "request-en-maple",
        "language": "en",
        "country": "US",
        "hs_code": "170220",
        "title": "Maple syrup in bulk drums",
        "description": "Pure maple syrup, grade A, in barrels for our bakery.",
        "relevant": [
            "li-ca-erabliere-rang-double-1",  # Sirop d'érable biologique en vrac, barils de 205 L, catégori
            "li-ca-erabliere-rang-double-2",  # Sirop d'érable en bouteilles de verre 250 ml et 500 ml, marq
            "li-ca-erabliere-rang-double-3",  # Sucre et flocons d'érable pour boulangeries et transformateu
        ],
    },
    {
        "key": "request-es-maple",
        "language": "es",
        "country": "MX",
        "hs_code": None,
        "title": "Jarabe de arce (maple) a granel",
        "description": "Jarabe de maple puro para repostería.",
        "relevant": [
            "li-ca-erabliere-rang-double-1",  # Sirop d'érable biologique en vrac, barils de 205 L, catégori
            "li-ca-erabliere-rang-double-2",  # Sirop d'érable en bouteilles de verre 250 ml et 500 ml, marq
            "li-ca-erabliere-rang-double-3",  # Sucre et flocons d'érable pour boulangeries et transformateu
        ],
    },
    {
        "key": "request-en-malbec",
        "language": "en",
        "country": "US",
        "hs_code": "220421",
        "title": "Argentine Malbec red wine for our restaurants",
        "description": "Bottled Malbec from Mendoza, reserve line.",
        "relevant": [
            "li-ar-finca-valle-de-uco-1",  # Malbec de altura del Valle de Uco, línea Reserva
            "li-ar-finca-valle-de-uco-2",  # Vinho Malbec argentino para importadores e restaurantes no B
        ],
    },
    {
        "key": "request-fr-carmenere",
        "language": "fr",
        "country": "CA",
        "hs_code": None,
        "title": "Vin rouge chilien Carménère",
        "description": "Vin chilien en bouteilles pour notre importation.",
        "relevant": [
            "li-cl-vina-colchagua-1",  # Carménère Reserva del valle de Colchagua, embotellado
            "li-cl-vina-colchagua-2",  # Vinho chileno Carménère e Cabernet para importadores brasile
        ],
    },
    {
        "key": "request-es-rum",
        "language": "es",
        "country": "MX",
        "hs_code": "220840",
        "title": "Ron añejo de Barbados",
        "description": "Ron añejado embotellado o a granel para nuestra marca.",
        "relevant": [
            "li-bb-cane-spring-distillery-1",  # Aged Barbados rum in bulk, 5–8 years, ex-bourbon casks
            "li-bb-cane-spring-distillery-2",  # Premium bottled Barbados rum, 700 ml and 750 ml, for importe
        ],
    },
    {
        "key": "request-fr-tequila",
        "language": "fr",
        "country": "CA",
        "hs_code": None,
        "title": "Tequila blanche en vrac",
        "description": "Tequila 100 % agave pour mise en bouteille au Québec.",
        "relevant": [
            "li-mx-destileria-lomas-de-arandas-1",  # Tequila 100 % de agave blanco y reposado, marca propia o maq
            "li-mx-destileria-lomas-de-arandas-2",  # Tequila blanco a granel en tótems de 1,000 litros
        ],
    },
    {
        "key": "request-en-pima",
        "language": "en",
        "country": "US",
        "hs_code": "610910",
        "title": "Peruvian pima cotton t-shirts",
        "description": "Pima cotton tees for our private label.",
        "relevant": [
            "li-pe-hilados-del-misti-3",  # Polos de algodón pima peruano, jersey 40/1 peinado
        ],
    },
    {
        "key": "request-pt-honey",
        "language": "pt",
        "country": "BR",
        "hs_code": "040900",
        "title": "Mel de abelha a granel em tambores",
        "description": "Mel multifloral para envase no Brasil.",
        "relevant": [
            "li-mx-miel-y-vainilla-del-golfo-1",  # Miel multiflora orgánica a granel en tambores de 300 kg
            "li-ar-apicola-pampa-dorada-1",  # Miel de abeja argentina a granel, tambores de 300 kg
            "li-ca-erabliere-rang-double-4",  # Miel de trèfle et de sarrasin non pasteurisé de Beauce
        ],
    },
]
