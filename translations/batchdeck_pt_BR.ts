<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context>
    <name>SecretStore</name>
    <message>
        <source>Nothing is stored in the keychain under this name.</source>
        <translation>Não há nada guardado no chaveiro com este nome.</translation>
    </message>
    <message>
        <source>The system keychain refused access (%1).</source>
        <translation>O chaveiro do sistema recusou o acesso (%1).</translation>
    </message>
    <message>
        <source>The system keychain cannot be used: no Secret Service or KWallet answers on this desktop.</source>
        <translation>Não é possível usar o chaveiro do sistema: nenhum Secret Service ou KWallet responde nesta área de trabalho.</translation>
    </message>
</context>
<context>
    <name>StatusStyle</name>
    <message>
        <source>Pending</source>
        <translation>Pendente</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>Enviado</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Falhou</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Pronto</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>Processando</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Concluído</translation>
    </message>
    <message>
        <source>PENDING_SUBMISSION: not sent to the provider yet</source>
        <translation>PENDING_SUBMISSION: ainda não enviado ao provedor</translation>
    </message>
    <message>
        <source>SUBMITTED: the provider is working on the batch</source>
        <translation>SUBMITTED: o provedor está processando o lote</translation>
    </message>
    <message>
        <source>SUBMISSION_FAILED: refused, failed, cancelled or expired at the provider</source>
        <translation>SUBMISSION_FAILED: recusado, falhou, cancelado ou expirado no provedor</translation>
    </message>
    <message>
        <source>PENDING_PROCESSING: the provider finished; results are ready to process</source>
        <translation>PENDING_PROCESSING: o provedor terminou; os resultados estão prontos para processar</translation>
    </message>
    <message>
        <source>PROCESSING: results are being stored</source>
        <translation>PROCESSING: os resultados estão sendo gravados</translation>
    </message>
    <message>
        <source>COMPLETED: results stored</source>
        <translation>COMPLETED: resultados gravados</translation>
    </message>
</context>
<context>
    <name>TimeText</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 h %2 m</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 d</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 d %2 h</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>agora mesmo</translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation>há %1</translation>
    </message>
    <message>
        <source>expired %1 ago</source>
        <translation>expirou há %1</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>em %1</translation>
    </message>
</context>
<context>
    <name>batchdeck::ConsoleNotifications</name>
    <message>
        <source>Completed: %1</source>
        <translation>Concluído: %1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Falhou: %1</translation>
    </message>
    <message>
        <source>Stuck: %1</source>
        <translation>Parado: %1</translation>
    </message>
    <message>
        <source>Job completed: %1</source>
        <translation>Job concluído: %1</translation>
    </message>
    <message>
        <source>Job failed: %1</source>
        <translation>Job falhou: %1</translation>
    </message>
    <message>
        <source>Job stuck: %1</source>
        <translation>Job parado: %1</translation>
    </message>
    <message>
        <source>Jobs: %1 completed, %2 failed, %3 stuck</source>
        <translation>Jobs: %1 concluídos, %2 com falha, %3 parados</translation>
    </message>
    <message>
        <source>and %1 more</source>
        <translation>e mais %1</translation>
    </message>
</context>
<context>
    <name>batchdeck::DatabaseSettingsPage</name>
    <message>
        <source>SQLite file on this computer</source>
        <translation>Arquivo SQLite neste computador</translation>
    </message>
    <message>
        <source>Leave empty for the default file</source>
        <translation>Deixe vazio para usar o arquivo padrão</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Procurar…</translation>
    </message>
    <message>
        <source>PostgreSQL server (shared with headless servers)</source>
        <translation>Servidor PostgreSQL (compartilhado com servidores sem interface)</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Testar conexão</translation>
    </message>
    <message>
        <source>Applies the next time the console starts. --db and the BATCHDECK_DB environment variable win over this setting.</source>
        <translation>Vale a partir da próxima vez que o console for aberto. --db e a variável de ambiente BATCHDECK_DB têm prioridade sobre esta configuração.</translation>
    </message>
    <message>
        <source>Type the PostgreSQL URL, or choose a SQLite file.</source>
        <translation>Digite a URL do PostgreSQL ou escolha um arquivo SQLite.</translation>
    </message>
    <message>
        <source>Job database</source>
        <translation>Banco de dados de jobs</translation>
    </message>
    <message>
        <source>SQLite databases (*.db *.sqlite);;All files (*)</source>
        <translation>Bancos de dados SQLite (*.db *.sqlite);;Todos os arquivos (*)</translation>
    </message>
    <message>
        <source>The file does not exist yet: the console creates it when it opens the database.</source>
        <translation>O arquivo ainda não existe: o console o cria ao abrir o banco de dados.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <source>Cannot connect: %1</source>
        <translation>Não foi possível conectar: %1</translation>
    </message>
    <message>
        <source>Connected. No Batchdeck tables yet: the console creates them when it opens the database.</source>
        <translation>Conectado. Ainda não há tabelas do Batchdeck: o console as cria ao abrir o banco de dados.</translation>
    </message>
    <message>
        <source>Connected, but a newer Batchdeck wrote this database (schema %1; this console knows up to %2).</source>
        <translation>Conectado, mas este banco de dados foi gravado por um Batchdeck mais novo (esquema %1; este console conhece até o %2).</translation>
    </message>
    <message>
        <source>Connected. Batchdeck schema version %1.</source>
        <translation>Conectado. Versão %1 do esquema do Batchdeck.</translation>
    </message>
</context>
<context>
    <name>batchdeck::EventTableModel</name>
    <message>
        <source>created as %1</source>
        <translation>criado como %1</translation>
    </message>
    <message>
        <source>%1 (no change)</source>
        <translation>%1 (sem mudança)</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quando</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Quem</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Mudança</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Motivo</translation>
    </message>
</context>
<context>
    <name>batchdeck::JobDetailsPanel</name>
    <message>
        <source>Overview</source>
        <translation>Visão geral</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Erros</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Eventos</translation>
    </message>
    <message>
        <source>Provider batches</source>
        <translation>Lotes no provedor</translation>
    </message>
    <message>
        <source>Select a job to see its details.</source>
        <translation>Selecione um job para ver os detalhes.</translation>
    </message>
    <message>
        <source>Job %1 · %2 · %3</source>
        <translation>Job %1 · %2 · %3</translation>
    </message>
    <message>
        <source>Provider batches (%1)</source>
        <translation>Lotes no provedor (%1)</translation>
    </message>
</context>
<context>
    <name>batchdeck::JobErrorsTab</name>
    <message>
        <source>No errors recorded for this job.</source>
        <translation>Nenhum erro registrado para este job.</translation>
    </message>
    <message>
        <source>Error details</source>
        <translation>Detalhes do erro</translation>
    </message>
</context>
<context>
    <name>batchdeck::JobNotifier</name>
    <message>
        <source>Results saved: %1, with errors: %2.</source>
        <translation>Resultados gravados: %1, com erro: %2.</translation>
    </message>
    <message>
        <source>The lease of its worker (%1) ran out %2: the worker stopped while holding the job.</source>
        <translation>A concessão do seu worker (%1) expirou %2: o worker parou enquanto segurava o job.</translation>
    </message>
    <message>
        <source>The provider status (%1) and the request counts have not changed for %2.</source>
        <translation>O status no provedor (%1) e as contagens de requisições não mudam há %2.</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconhecido</translation>
    </message>
</context>
<context>
    <name>batchdeck::JobOverviewTab</name>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <source>Job id</source>
        <translation>ID do job</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Execução</translation>
    </message>
    <message>
        <source>Batch type</source>
        <translation>Tipo de lote</translation>
    </message>
    <message>
        <source>Batch id</source>
        <translation>ID do lote</translation>
    </message>
    <message>
        <source>Input file</source>
        <translation>Arquivo de entrada</translation>
    </message>
    <message>
        <source>Output file</source>
        <translation>Arquivo de saída</translation>
    </message>
    <message>
        <source>Error file</source>
        <translation>Arquivo de erros</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Provider status</source>
        <translation>Status no provedor</translation>
    </message>
    <message>
        <source>Last asked</source>
        <translation>Última consulta</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>Tentativa</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Requisições</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Resultados</translation>
    </message>
    <message>
        <source>Lease</source>
        <translation>Concessão</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Criado</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Atualizado</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>Enviado</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Concluído</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Expira</translation>
    </message>
    <message>
        <source>Copy the %1 to the clipboard</source>
        <translation>Copiar %1 para a área de transferência</translation>
    </message>
    <message>
        <source>%1 completed, %2 failed of %3</source>
        <translation>%1 concluídas, %2 com falha de %3</translation>
    </message>
    <message>
        <source>%1 saved, %2 errors</source>
        <translation>%1 gravados, %2 erros</translation>
    </message>
    <message>
        <source>%1 until %2</source>
        <translation>%1 até %2</translation>
    </message>
</context>
<context>
    <name>batchdeck::JobTableModel</name>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>No request counts from the provider yet</source>
        <translation>O provedor ainda não informou as contagens de requisições</translation>
    </message>
    <message>
        <source>%1 completed, %2 failed, %3 requests in all</source>
        <translation>%1 concluídas, %2 com falha, %3 requisições no total</translation>
    </message>
    <message>
        <source>Created %1</source>
        <translation>Criado %1</translation>
    </message>
    <message>
        <source>Last change %1</source>
        <translation>Última mudança %1</translation>
    </message>
    <message>
        <source>The provider expires the batch at %1</source>
        <translation>O provedor expira o lote em %1</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Execução</translation>
    </message>
    <message>
        <source>Batch type</source>
        <translation>Tipo de lote</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Provedor</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progresso</translation>
    </message>
    <message>
        <source>Batch id</source>
        <translation>ID do lote</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>Tentativa</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Idade</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Atualizado</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Expira</translation>
    </message>
    <message>
        <source>The batch&apos;s status at the provider, as last seen</source>
        <translation>O status do lote no provedor, na última consulta</translation>
    </message>
    <message>
        <source>Requests finished at the provider (completed and failed) out of all requests</source>
        <translation>Requisições terminadas no provedor (concluídas e com falha) do total de requisições</translation>
    </message>
    <message>
        <source>Time since the job was created</source>
        <translation>Tempo desde a criação do job</translation>
    </message>
    <message>
        <source>Time since the job last changed</source>
        <translation>Tempo desde a última mudança do job</translation>
    </message>
    <message>
        <source>Time left before the provider expires a submitted batch</source>
        <translation>Tempo restante até o provedor expirar um lote enviado</translation>
    </message>
</context>
<context>
    <name>batchdeck::MainWindow</name>
    <message>
        <source>Batchdeck — Demo</source>
        <translation>Batchdeck — Demonstração</translation>
    </message>
    <message>
        <source>Batchdeck — %1</source>
        <translation>Batchdeck — %1</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Execuções</translation>
    </message>
    <message>
        <source>Select a run to show only its jobs</source>
        <translation>Selecione uma execução para mostrar só os jobs dela</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Jobs</translation>
    </message>
    <message>
        <source>Show the jobs of every run</source>
        <translation>Mostrar os jobs de todas as execuções</translation>
    </message>
    <message>
        <source>Search run, batch type, batch id…</source>
        <translation>Buscar execução, tipo, ID do lote…</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Principal</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Atualizar</translation>
    </message>
    <message>
        <source>Read every job again now (%1)</source>
        <translation>Ler todos os jobs de novo agora (%1)</translation>
    </message>
    <message>
        <source>Update every</source>
        <translation>Atualizar a cada</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Desligado</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>How often the console reads the database for changes</source>
        <translation>Com que frequência o console lê o banco de dados em busca de mudanças</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Configurações…</translation>
    </message>
    <message>
        <source>Reading the database…</source>
        <translation>Lendo o banco de dados…</translation>
    </message>
    <message>
        <source>Demo: sample data</source>
        <translation>Demonstração: dados de exemplo</translation>
    </message>
    <message>
        <source>This console runs on a demo database: %1</source>
        <translation>Este console usa um banco de dados de demonstração: %1</translation>
    </message>
    <message>
        <source>The job database</source>
        <translation>O banco de dados de jobs</translation>
    </message>
    <message>
        <source>Loading jobs: %1 of %2 listed…</source>
        <translation>Carregando jobs: %1 de %2 listados…</translation>
    </message>
    <message>
        <source>%1 jobs · updated %2</source>
        <translation>%1 jobs · atualizado em %2</translation>
    </message>
    <message>
        <source>The last read took %1 ms</source>
        <translation>A última leitura levou %1 ms</translation>
    </message>
    <message>
        <source>Cannot read the database: %1</source>
        <translation>Não foi possível ler o banco de dados: %1</translation>
    </message>
    <message>
        <source>Cannot read the history of job %1: %2</source>
        <translation>Não foi possível ler o histórico do job %1: %2</translation>
    </message>
    <message>
        <source>Run: %1  ✕</source>
        <translation>Execução: %1  ✕</translation>
    </message>
    <message>
        <source>Reading the jobs…</source>
        <translation>Lendo os jobs…</translation>
    </message>
    <message>
        <source>No jobs yet. A job appears here as soon as Airflow, batchdeck-cli or another console submits a batch type for a run.</source>
        <translation>Ainda não há jobs. Um job aparece aqui assim que o Airflow, o batchdeck-cli ou outro console envia um tipo de lote para uma execução.</translation>
    </message>
    <message>
        <source>No job matches the status, run and search filters.</source>
        <translation>Nenhum job corresponde aos filtros de status, execução e busca.</translation>
    </message>
</context>
<context>
    <name>batchdeck::NotificationBanner</name>
    <message>
        <source>Notifications</source>
        <translation>Notificações</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fechar</translation>
    </message>
</context>
<context>
    <name>batchdeck::ProviderBatchTableModel</name>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>Tentativa</translation>
    </message>
    <message>
        <source>Shard</source>
        <translation>Fragmento</translation>
    </message>
    <message>
        <source>Batch id</source>
        <translation>ID do lote</translation>
    </message>
    <message>
        <source>Provider status</source>
        <translation>Status no provedor</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Requisições</translation>
    </message>
    <message>
        <source>Input file</source>
        <translation>Arquivo de entrada</translation>
    </message>
    <message>
        <source>Output file</source>
        <translation>Arquivo de saída</translation>
    </message>
    <message>
        <source>Error file</source>
        <translation>Arquivo de erros</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Atualizado</translation>
    </message>
</context>
<context>
    <name>batchdeck::ProviderBatchesTab</name>
    <message>
        <source>Select a batch to see the provider&apos;s Batch object.</source>
        <translation>Selecione um lote para ver o objeto Batch do provedor.</translation>
    </message>
</context>
<context>
    <name>batchdeck::RunTableModel</name>
    <message>
        <source>Run</source>
        <translation>Execução</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Criado</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Itens</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Jobs</translation>
    </message>
    <message>
        <source>Jobs by status</source>
        <translation>Jobs por status</translation>
    </message>
</context>
<context>
    <name>batchdeck::SettingsDialog</name>
    <message>
        <source>Batchdeck Settings</source>
        <translation>Configurações do Batchdeck</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Provedor</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Banco de dados</translation>
    </message>
    <message>
        <source>HTTP server</source>
        <translation>Servidor HTTP</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Geral</translation>
    </message>
    <message>
        <source>OpenAI</source>
        <translation>OpenAI</translation>
    </message>
    <message>
        <source>Azure OpenAI</source>
        <translation>Azure OpenAI</translation>
    </message>
    <message>
        <source>OpenAI-compatible server</source>
        <translation>Servidor compatível com OpenAI</translation>
    </message>
    <message>
        <source>Provider:</source>
        <translation>Provedor:</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>URL base:</translation>
    </message>
    <message>
        <source>Endpoint:</source>
        <translation>Endpoint:</translation>
    </message>
    <message>
        <source>empty for the v1 API</source>
        <translation>vazio para a API v1</translation>
    </message>
    <message>
        <source>API version:</source>
        <translation>Versão da API:</translation>
    </message>
    <message>
        <source>Stored in the system keychain</source>
        <translation>Guardada no chaveiro do sistema</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>Chave da API:</translation>
    </message>
    <message>
        <source>Serve the HTTP API for Airflow from this console</source>
        <translation>Servir a API HTTP para o Airflow a partir deste console</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Endereço:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Porta:</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>Token:</translation>
    </message>
    <message>
        <source>Airflow sends the token as &quot;Authorization: Bearer TOKEN&quot;. It is kept in the system keychain; BATCHDECK_API_TOKEN in the environment wins over it. Without a token the server only listens on a loopback address.</source>
        <translation>O Airflow envia o token como &quot;Authorization: Bearer TOKEN&quot;. Ele fica guardado no chaveiro do sistema; BATCHDECK_API_TOKEN no ambiente tem prioridade sobre ele. Sem token, o servidor só escuta em um endereço de loopback.</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Desligado</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>How often the console reads the database for changes</source>
        <translation>Com que frequência o console lê o banco de dados em busca de mudanças</translation>
    </message>
    <message>
        <source>Update every:</source>
        <translation>Atualizar a cada:</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>A submitted job whose provider status and request counts stay the same this long is announced as stuck</source>
        <translation>Um job enviado cujo status no provedor e contagens de requisições ficam iguais por esse tempo é anunciado como parado</translation>
    </message>
    <message>
        <source>Warn when a job has not moved for:</source>
        <translation>Avisar quando um job não avança há:</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Idioma do sistema</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Idioma:</translation>
    </message>
    <message>
        <source>The language changes the next time the console starts.</source>
        <translation>O idioma muda na próxima vez que o console for aberto.</translation>
    </message>
    <message>
        <source>Stored in the keychain; type to replace it</source>
        <translation>Guardado no chaveiro; digite para substituir</translation>
    </message>
    <message>
        <source>No token</source>
        <translation>Sem token</translation>
    </message>
    <message>
        <source>From the environment (%1)</source>
        <translation>Do ambiente (%1)</translation>
    </message>
    <message>
        <source>Type the key to store it in the keychain</source>
        <translation>Digite a chave para guardá-la no chaveiro</translation>
    </message>
    <message>
        <source>%1 is set in the environment: it chooses the provider, not these settings.</source>
        <translation>%1 está definida no ambiente: ela escolhe o provedor, não estas configurações.</translation>
    </message>
    <message>
        <source>%1 is set in the environment: the console uses that key.</source>
        <translation>%1 está definida no ambiente: o console usa essa chave.</translation>
    </message>
    <message>
        <source>%1 is not set: the console can show jobs but not submit them.</source>
        <translation>%1 não está definida: o console mostra os jobs, mas não consegue enviá-los.</translation>
    </message>
    <message>
        <source>The base URL needs http:// or https:// and a host, like http://localhost:8000/v1.</source>
        <translation>A URL base precisa de http:// ou https:// e de um host, como http://localhost:8000/v1.</translation>
    </message>
    <message>
        <source>The Azure endpoint needs https:// and a host, like https://my-resource.openai.azure.com.</source>
        <translation>O endpoint do Azure precisa de https:// e de um host, como https://my-resource.openai.azure.com.</translation>
    </message>
    <message>
        <source>Type the API key to store it in the system keychain.</source>
        <translation>Digite a chave da API para guardá-la no chaveiro do sistema.</translation>
    </message>
    <message>
        <source>The server address must be an IP address, like 127.0.0.1 or 0.0.0.0.</source>
        <translation>O endereço do servidor deve ser um endereço IP, como 127.0.0.1 ou 0.0.0.0.</translation>
    </message>
    <message>
        <source>Without a token the server only listens on a loopback address: set a token or use 127.0.0.1.</source>
        <translation>Sem token, o servidor só escuta em um endereço de loopback: defina um token ou use 127.0.0.1.</translation>
    </message>
    <message>
        <source>Storing in the system keychain…</source>
        <translation>Guardando no chaveiro do sistema…</translation>
    </message>
    <message>
        <source>%1
Nothing was saved. Set %2 in the environment before starting the console instead, or start a keychain (GNOME Keyring, KWallet) and try again.</source>
        <translation>%1
Nada foi salvo. Em vez disso, defina %2 no ambiente antes de abrir o console, ou inicie um chaveiro (GNOME Keyring, KWallet) e tente de novo.</translation>
    </message>
</context>
<context>
    <name>batchdeck::SettingsLauncher</name>
    <message>
        <source>Settings saved. The database and the language change when the console starts again.</source>
        <translation>Configurações salvas. O banco de dados e o idioma mudam quando o console for aberto de novo.</translation>
    </message>
    <message>
        <source>Settings saved.</source>
        <translation>Configurações salvas.</translation>
    </message>
</context>
<context>
    <name>batchdeck::StatusFilterBar</name>
    <message>
        <source>Show jobs of every status</source>
        <translation>Mostrar jobs de todos os status</translation>
    </message>
    <message>
        <source>All %1</source>
        <translation>Todos %1</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>status label, count</comment>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Batchdeck</source>
        <translation>Batchdeck</translation>
    </message>
    <message>
        <source>Batchdeck: the console for LLM batch jobs.</source>
        <translation>Batchdeck: o console para jobs em lote de LLM.</translation>
    </message>
    <message>
        <source>Database URL: sqlite:///abs/path.db or postgresql://user:pass@host:port/dbname (default: $BATCHDECK_DB, else a SQLite file in the user&apos;s data folder).</source>
        <translation>URL do banco de dados: sqlite:///caminho/absoluto.db ou postgresql://usuario:senha@host:porta/banco (padrão: $BATCHDECK_DB, senão um arquivo SQLite na pasta de dados do usuário).</translation>
    </message>
    <message>
        <source>Open the demo database (a sample run; no provider key needed).</source>
        <translation>Abrir o banco de dados de demonstração (uma execução de exemplo; não precisa de chave do provedor).</translation>
    </message>
    <message>
        <source>--demo uses its own database: leave out --db.</source>
        <translation>--demo usa o próprio banco de dados: não use --db.</translation>
    </message>
    <message>
        <source>This version of the console does not start the server yet: run batchdeck-cli serve beside it on the same database.</source>
        <translation>Esta versão do console ainda não inicia o servidor: execute batchdeck-cli serve ao lado dele, no mesmo banco de dados.</translation>
    </message>
</context>
</TS>
